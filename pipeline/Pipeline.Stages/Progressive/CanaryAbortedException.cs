using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>A canary the analysis stopped: all traffic is back on the stable version; the message carries the table of measured values.</summary>
public sealed class CanaryAbortedException(CanaryOutcome outcome, AnalysisTrafficResult? traffic, string message) : Exception(message)
{
    public CanaryOutcome Outcome { get; } = outcome;

    /// <summary>What the synthetic traffic saw as a client, when there was any.</summary>
    public AnalysisTrafficResult? Traffic { get; } = traffic;

    public static CanaryAbortedException For(CanaryOutcome outcome, string where, AnalysisTrafficResult? traffic) => new(outcome, traffic,
        $"The canary {outcome.CanaryVersion} was aborted at {outcome.AbortedBy!.WeightPercent} % on {where}: {outcome.AbortedBy.Verdict.ToString().ToLowerInvariant()}, " +
        $"{outcome.AbortedBy.Reason}. All traffic went back to {outcome.StableVersion} {outcome.TimeToAbort!.Value.TotalSeconds:F1} s after the canary's first request; " +
        $"production stays {outcome.StableVersion}.\n\n{CanaryReport.Markdown(outcome)}" +
        (traffic is null ? "" : $"\nSynthetic traffic through the stable endpoint: {traffic.Describe()}.\n"));
}
