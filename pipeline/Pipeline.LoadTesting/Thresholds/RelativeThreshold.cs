namespace Pipeline.LoadTesting.Thresholds;

/// <summary>
/// A threshold relative to a baseline measured in the same run, such as <c>p99&lt;=1.2x</c> (the candidate's p99 at
/// most 1.2 times the baseline's) or <c>rps&gt;=0.95x</c>. Noise that slows the machine slows both, so the verdict
/// holds where an absolute limit would flip.
/// </summary>
public sealed record RelativeThreshold(string Expression, ThresholdMetric Metric, double? Percentile, Comparison Comparison, double Factor)
{
    /// <summary>The absolute limit this becomes once the baseline's value is known.</summary>
    public Threshold AgainstBaseline(double baselineValue) => new(Expression, Metric, Percentile, Comparison, Factor * baselineValue);
}

/// <summary>A relative threshold checked: both measured values (latencies in ms), the resulting limit, and the verdict.</summary>
public sealed record RelativeThresholdResult(RelativeThreshold Threshold, double Candidate, double Baseline, double Limit, bool Passed)
{
    /// <summary>Candidate over baseline (NaN when the baseline is 0).</summary>
    public double Ratio => Baseline == 0 ? double.NaN : Candidate / Baseline;
}
