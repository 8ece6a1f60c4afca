namespace Pipeline.Engine;

/// <summary>The command line, split into targets, built-in options and raw parameter values (still text).</summary>
internal sealed class ParsedArguments
{
    public List<string> Targets { get; } = [];

    /// <summary>Null when --skip was not given; empty for a bare --skip.</summary>
    public IReadOnlyList<string>? Skip { get; set; }

    public bool Help { get; set; }

    public bool Plan { get; set; }

    public bool PlanJson { get; set; }

    public bool Parallel { get; set; }

    public int? ParallelDegree { get; set; }

    public bool Force { get; set; }

    public Verbosity Verbosity { get; set; } = Verbosity.Normal;

    public IReadOnlyList<string> Profiles { get; set; } = [];

    public string? Root { get; set; }

    public Dictionary<ParameterDescriptor, IReadOnlyList<string>> Parameters { get; } = [];
}
