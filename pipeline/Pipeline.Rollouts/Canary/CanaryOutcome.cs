using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Canary;

/// <summary>
/// How a canary ended: promoted after every step's analysis passed, or aborted (all traffic back to stable) at the
/// first analysis that failed or was inconclusive. <see cref="TimeToAbort"/> runs from the canary's first traffic to
/// the moment the stable version had it all back.
/// </summary>
public sealed record CanaryOutcome(string StableVersion, string CanaryVersion, bool Promoted, IReadOnlyList<StepAnalysis> Analyses, TimeSpan Elapsed)
{
    public StepAnalysis? AbortedBy => Promoted ? null : Analyses.LastOrDefault();

    public TimeSpan? TimeToAbort => Promoted ? null : Elapsed;
}
