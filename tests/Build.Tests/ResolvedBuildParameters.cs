using System.Collections;
using System.Globalization;
using Pipeline.Engine;

namespace BuildProject.Tests;

/// <summary>The real build's parameters as a run resolves them under a root (its .nuke/parameters.json), with no environment or arguments.</summary>
internal static class ResolvedBuildParameters
{
    public static async Task<IReadOnlyList<ResolvedParameter>> ResolveAsync(string rootDirectory)
    {
        // --help resolves every parameter exactly as a run would, and runs nothing.
        var settings = new BuildRunSettings { Environment = new Dictionary<string, string>(), RootDirectory = rootDirectory, Output = new StringWriter() };
        var result = await BuildRunner.ExecuteAsync(new global::Build(), ["--help"], settings);
        Assert.True(result.ExitCode == 0, $"Resolving the build's parameters under {rootDirectory} failed:\n" + string.Join("\n", result.Errors));
        return result.Parameters;
    }

    public static ResolvedParameter Get(this IReadOnlyList<ResolvedParameter> parameters, string name) =>
        parameters.Single(parameter => parameter.Descriptor.Name == name);

    /// <summary>Unambiguous text for comparing values: arrays element by element, numbers invariantly.</summary>
    public static string Canonical(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        IEnumerable items => "[" + string.Join("\u001f", items.Cast<object?>().Select(Canonical)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
