namespace Pipeline.Engine;

/// <summary>What a run produced, for callers that need more than the exit code (tests, tools).</summary>
public sealed record BuildResult(int ExitCode)
{
    /// <summary>The build's graph; null when the build could not be defined.</summary>
    public BuildGraph? Graph { get; init; }

    /// <summary>The execution plan; null when the run stopped before planning (help, errors).</summary>
    public ExecutionPlan? Plan { get; init; }

    /// <summary>Target results; null unless targets were executed.</summary>
    public RunSummary? Summary { get; init; }

    public IReadOnlyList<ResolvedParameter> Parameters { get; init; } = [];

    /// <summary>Configuration errors that stopped the build before anything ran (already masked).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
