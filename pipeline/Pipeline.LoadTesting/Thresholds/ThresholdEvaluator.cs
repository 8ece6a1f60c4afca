using Pipeline.LoadTesting.Results;

namespace Pipeline.LoadTesting.Thresholds;

/// <summary>Checks thresholds against a run; latencies are compared in milliseconds.</summary>
public static class ThresholdEvaluator
{
    public static IReadOnlyList<ThresholdResult> Evaluate(LoadTestResult result, IEnumerable<Threshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(result);
        return thresholds.Select(t =>
        {
            var measured = Measure(result, t);
            return new ThresholdResult(t, measured, t.MarginOf(measured), t.Holds(measured));
        }).ToList();
    }

    /// <summary>Candidate and baseline measured by the same rule; the limit is the factor times the baseline's value.</summary>
    public static IReadOnlyList<RelativeThresholdResult> Evaluate(LoadTestResult candidate, LoadTestResult baseline, IEnumerable<RelativeThreshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        return thresholds.Select(t =>
        {
            var probe = t.AgainstBaseline(1);
            var (measured, reference) = (Measure(candidate, probe), Measure(baseline, probe));
            var limit = t.AgainstBaseline(reference);
            return new RelativeThresholdResult(t, measured, reference, limit.Limit, limit.Holds(measured));
        }).ToList();
    }

    // A latency threshold on a run without requests is not met: NaN fails every comparison.
    internal static double Measure(LoadTestResult result, Threshold threshold) => threshold.Metric switch
    {
        _ when threshold.IsLatency && result.Requests == 0 => double.NaN,
        ThresholdMetric.Percentile => result.Histogram.Percentile(threshold.Percentile!.Value).TotalMilliseconds,
        ThresholdMetric.Min => result.Latency.Min.TotalMilliseconds,
        ThresholdMetric.Max => result.Latency.Max.TotalMilliseconds,
        ThresholdMetric.Mean => result.Latency.Mean.TotalMilliseconds,
        ThresholdMetric.ErrorRate => result.ErrorRate,
        _ => result.RequestsPerSecond,
    };
}
