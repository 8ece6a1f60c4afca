namespace Pipeline.LoadTesting.Thresholds;

public enum ThresholdMetric { Percentile, Min, Max, Mean, ErrorRate, RequestsPerSecond }

public enum Comparison { LessThan, LessOrEqual, GreaterThan, GreaterOrEqual }

/// <summary>
/// One parsed threshold such as <c>p(95)&lt;200ms</c>. Latency limits are held in milliseconds; error_rate as a
/// fraction; rps in requests per second. <see cref="Percentile"/> is set for percentile metrics only.
/// </summary>
public sealed record Threshold(string Expression, ThresholdMetric Metric, double? Percentile, Comparison Comparison, double Limit)
{
    public bool IsLatency => Metric is ThresholdMetric.Percentile or ThresholdMetric.Min or ThresholdMetric.Max or ThresholdMetric.Mean;

    public bool Holds(double measured) => Comparison switch
    {
        Comparison.LessThan => measured < Limit,
        Comparison.LessOrEqual => measured <= Limit,
        Comparison.GreaterThan => measured > Limit,
        _ => measured >= Limit,
    };

    /// <summary>Distance from the limit on the passing side (positive: headroom; negative: by how much it failed).</summary>
    public double MarginOf(double measured) =>
        Comparison is Comparison.LessThan or Comparison.LessOrEqual ? Limit - measured : measured - Limit;
}

/// <summary>A threshold checked against a run: the measured value (same unit as the limit), margin and verdict.</summary>
public sealed record ThresholdResult(Threshold Threshold, double Measured, double Margin, bool Passed);
