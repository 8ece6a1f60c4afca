using System.Text.Json;
using Pipeline.Engine;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>
/// .nuke/parameters.json holds deliberate overrides only: every default lives in the code (the field initializer or the
/// library type it reads), so an entry that repeats one is a second copy that will drift from it.
/// </summary>
public sealed class ParametersFileTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public ParametersFileTests() => Directory.CreateDirectory(_root.File(".nuke"));

    public void Dispose() => _root.Dispose();

    /// <summary>Entries of the root's parameters.json whose value is the one the code would use without them.</summary>
    private static async Task<IReadOnlyList<string>> RepeatedDefaultsAsync(string rootDirectory)
    {
        var parameters = await ResolvedBuildParameters.ResolveAsync(rootDirectory);
        return parameters
            .Where(parameter => parameter.Source.Kind == ParameterSourceKind.ParametersFile)
            .Where(parameter => ResolvedBuildParameters.Canonical(parameter.Value) == ResolvedBuildParameters.Canonical(parameter.Descriptor.DefaultValue))
            .Select(parameter => $"{parameter.Descriptor.Name} = {parameter.Descriptor.DisplayDefault}")
            .ToArray();
    }

    [Fact]
    public async Task The_committed_parameters_json_repeats_no_code_default()
    {
        var repeated = await RepeatedDefaultsAsync(RepositoryRoot.Find());

        Assert.True(repeated.Count == 0,
            ".nuke/parameters.json repeats defaults the code already holds; remove these entries (change the default in the code instead):\n  " +
            string.Join("\n  ", repeated));
    }

    [Fact]
    public async Task A_repeated_default_is_found_and_a_real_override_is_not()
    {
        var graph = BuildGraph.From<global::Build>(_root.Path);
        var seed = (int)graph.FindParameter("Seed")!.DefaultValue!;
        var thresholds = (string[])graph.FindParameter("LoadThresholds")!.DefaultValue!;
        var epochs = (int)graph.FindParameter("Epochs")!.DefaultValue!;
        var maxModelMb = (double)graph.FindParameter("MaxModelMb")!.DefaultValue!;
        await File.WriteAllTextAsync(_root.File(".nuke/parameters.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Seed"] = seed,
            ["LoadThresholds"] = thresholds,
            ["Epochs"] = epochs + 1,
            ["MaxModelMb"] = maxModelMb,
        }));

        var repeated = await RepeatedDefaultsAsync(_root.Path);

        Assert.Equal(
            new[] { $"LoadThresholds = {string.Join(", ", thresholds)}", $"MaxModelMb = {maxModelMb.ToString(System.Globalization.CultureInfo.InvariantCulture)}", $"Seed = {seed}" },
            repeated.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_array_differing_in_one_element_is_an_override()
    {
        var thresholds = (string[])BuildGraph.From<global::Build>(_root.Path).FindParameter("LoadThresholds")!.DefaultValue!;
        await File.WriteAllTextAsync(_root.File(".nuke/parameters.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["LoadThresholds"] = thresholds[..^1],
        }));

        Assert.Empty(await RepeatedDefaultsAsync(_root.Path));
    }
}
