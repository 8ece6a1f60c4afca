namespace Pipeline.Engine;

public enum ParameterSourceKind
{
    Default,
    ParametersFile,
    Environment,
    CommandLine,
}

/// <summary>Where a parameter's value came from. <see cref="Profile"/> is set for <c>.nuke/parameters.NAME.json</c>.</summary>
public sealed record ParameterSource(ParameterSourceKind Kind, string? Profile = null, string? EnvironmentVariable = null)
{
    public static ParameterSource Default { get; } = new(ParameterSourceKind.Default);

    public static ParameterSource CommandLine { get; } = new(ParameterSourceKind.CommandLine);

    public static ParameterSource FromEnvironment(string variable) => new(ParameterSourceKind.Environment, EnvironmentVariable: variable);

    public static ParameterSource FromFile(string? profile) => new(ParameterSourceKind.ParametersFile, Profile: profile);

    /// <summary>The file the value was read from, relative to the root, for file sources.</summary>
    public string? FileName => Kind == ParameterSourceKind.ParametersFile
        ? Profile is null ? ".nuke/parameters.json" : $".nuke/parameters.{Profile}.json"
        : null;

    /// <summary>Phrase for error messages: "from the command line", "from environment variable SEED", ...</summary>
    public string Description => Kind switch
    {
        ParameterSourceKind.CommandLine => "from the command line",
        ParameterSourceKind.Environment => $"from environment variable {EnvironmentVariable}",
        ParameterSourceKind.ParametersFile => $"from {FileName}",
        _ => "the default",
    };

    /// <summary>
    /// Where the value came from, as <c>--help</c> and the verbose plan show it: <c>command line</c>, <c>env SEED</c>,
    /// <c>parameters.ci.json</c>, <c>parameters.json</c> or <c>default</c> (the code's own value).
    /// </summary>
    public string Label => Kind switch
    {
        ParameterSourceKind.CommandLine => "command line",
        ParameterSourceKind.Environment => $"env {EnvironmentVariable}",
        ParameterSourceKind.ParametersFile => Path.GetFileName(FileName!),
        _ => "default",
    };

    /// <summary>Stable identifier for machine-readable output (the plan JSON): CommandLine, Environment, ParametersFile, ParametersFile(ci) or Default.</summary>
    public override string ToString() => Kind switch
    {
        ParameterSourceKind.ParametersFile when Profile is not null => $"ParametersFile({Profile})",
        _ => Kind.ToString(),
    };
}
