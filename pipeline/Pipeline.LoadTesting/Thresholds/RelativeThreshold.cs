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

/// <summary>
/// A relative threshold checked. <see cref="Candidate"/> and <see cref="Baseline"/> are whole-run values (latencies in
/// ms); <see cref="Ratio"/> decides: for percentiles and means the median over <see cref="PairedWindows"/> windows of
/// <see cref="WindowSeconds"/> seconds of the candidate's value over the baseline's in the same window, otherwise (or
/// with too few windows) the whole-run ratio.
/// </summary>
public sealed record RelativeThresholdResult(RelativeThreshold Threshold, double Candidate, double Baseline, double Ratio, int PairedWindows,
    int WindowSeconds, bool Passed)
{
    /// <summary>The whole-run limit the factor sets, for reading the table (the verdict rests on <see cref="Ratio"/>).</summary>
    public double Limit => Threshold.Factor * Baseline;
}
