using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.Rollouts.Analysis;

/// <summary>
/// One k6-style condition a canary must meet in every analysis, such as <c>success_rate&gt;=0.999</c> or <c>p99&lt;20ms</c>.
/// Rates are fractions; latency limits are milliseconds.
/// </summary>
public sealed record AnalysisThreshold(string Expression, AnalysisMetric Metric, double? Percentile, Comparison Comparison, double Limit)
{
    public bool Holds(double measured) => Comparison switch
    {
        Comparison.LessThan => measured < Limit,
        Comparison.LessOrEqual => measured <= Limit,
        Comparison.GreaterThan => measured > Limit,
        _ => measured >= Limit,
    };

    /// <summary>The measured value of this threshold's metric, or null when the measurement has none (no answers, no histogram).</summary>
    public double? ValueIn(VersionMeasurement measurement) => Metric switch
    {
        AnalysisMetric.SuccessRate => measurement.SuccessRate,
        AnalysisMetric.ErrorRate => measurement.ErrorRate,
        _ => measurement.LatencyMilliseconds.TryGetValue(Percentile!.Value, out var ms) && double.IsFinite(ms) ? ms : null,
    };

    /// <summary>A measured value in this threshold's unit, for tables.</summary>
    public string Format(double? value) => value switch
    {
        null => "n/a",
        { } v when Metric == AnalysisMetric.LatencyPercentile => $"{v:F1} ms",
        { } v => $"{v:P2}",
    };
}
