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
/// ms). For percentiles and means the run is cut into <see cref="PairedWindows"/> windows of <see cref="WindowSeconds"/>
/// seconds, each giving a ratio (candidate over baseline in the same window); <see cref="Ratio"/> is their median, and
/// the threshold fails only when the windows show the regression beyond chance (<see cref="WindowsBeyond"/> of them
/// past the limit, at least <see cref="WindowsNeeded"/>) and the whole-run ratio is past it too. Otherwise, or with too
/// few windows, Ratio is the whole-run ratio and decides alone.
/// </summary>
public sealed record RelativeThresholdResult(RelativeThreshold Threshold, double Candidate, double Baseline, double Ratio, int PairedWindows,
    int WindowSeconds, bool Passed)
{
    /// <summary>Candidate over baseline for the whole run.</summary>
    public double WholeRunRatio { get; init; } = double.NaN;

    /// <summary>Paired windows whose own ratio is past the limit.</summary>
    public int WindowsBeyond { get; init; }

    /// <summary>Windows past the limit that a regression needs: fewer happen by chance more than once in twenty runs.</summary>
    public int WindowsNeeded { get; init; }

    /// <summary>The whole-run limit the factor sets, for reading the table (the verdict rests on the ratios).</summary>
    public double Limit => Threshold.Factor * Baseline;
}
