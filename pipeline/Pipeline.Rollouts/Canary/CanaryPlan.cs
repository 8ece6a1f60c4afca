using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Canary;

/// <summary>
/// How a canary goes out: the share of traffic it gets at each step (ending at 100), how long each step lasts, how
/// often the analysis looks in between, the thresholds every analysis checks and the fewest requests a passing analysis needs.
/// </summary>
public sealed record CanaryPlan(IReadOnlyList<int> StepPercents, TimeSpan StepDuration, IReadOnlyList<AnalysisThreshold> Thresholds, double MinimumRequests)
{
    /// <summary>How often a step's analysis looks before the step ends: a failing canary is aborted at the first look, not at the step's end.</summary>
    public TimeSpan AnalysisInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the canary's metrics may take to appear (scrape discovery) before the canary starts; no traffic moves before.</summary>
    public TimeSpan MeasuredTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Latency percentiles the thresholds read, so a measurement asks Prometheus for just these.</summary>
    public IReadOnlyList<double> Percentiles => Thresholds.Where(t => t.Percentile is not null).Select(t => t.Percentile!.Value).Distinct().ToList();
}
