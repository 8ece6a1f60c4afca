namespace Pipeline.Engine;

/// <summary>What the user asked for: targets to run (case-insensitive names) and which to skip.</summary>
public sealed record PlanRequest(IReadOnlyList<string> InvokedTargets)
{
    /// <summary><c>--skip</c> without names: every target that was not invoked explicitly is skipped.</summary>
    public bool SkipAllNotInvoked { get; init; }

    /// <summary><c>--skip A B</c>: these targets are skipped.</summary>
    public IReadOnlyList<string> SkippedTargets { get; init; } = [];
}
