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

    /// <summary>Fewer paired seconds than this and a latency comparison falls back to the whole-run ratio.</summary>
    public const int MinimumPairedSeconds = 5;

    /// <summary>A second needs this many requests on each side for its percentiles to be compared.</summary>
    public const int MinimumRequestsPerSecond = 50;

    /// <summary>
    /// Candidate and baseline measured by the same rule. Latencies are compared second by second: machine noise
    /// moves both sides within a second, and a hiccup of one server (a GC pause, a late thread) spoils only its
    /// seconds, which the median over seconds then ignores. A whole-run p99 of two identical containers differed by
    /// 26 % on a quiet machine with 1,200 requests each; the paired median does not swing like that.
    /// </summary>
    public static IReadOnlyList<RelativeThresholdResult> Evaluate(LoadTestResult candidate, LoadTestResult baseline, IEnumerable<RelativeThreshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        return thresholds.Select(t =>
        {
            var probe = t.AgainstBaseline(1);
            var (measured, reference) = (Measure(candidate, probe), Measure(baseline, probe));
            var paired = probe.IsLatency ? PairedRatios(candidate, baseline, probe) : [];
            var ratio = paired.Count >= MinimumPairedSeconds ? Median(paired) : reference == 0 ? double.NaN : measured / reference;
            return new RelativeThresholdResult(t, measured, reference, ratio, paired.Count >= MinimumPairedSeconds ? paired.Count : 0,
                new Threshold(t.Expression, t.Metric, t.Percentile, t.Comparison, t.Factor).Holds(ratio));
        }).ToList();
    }

    private static List<double> PairedRatios(LoadTestResult candidate, LoadTestResult baseline, Threshold probe)
    {
        var ratios = new List<double>();
        foreach (var (second, mine) in candidate.SecondHistograms)
        {
            if (!baseline.SecondHistograms.TryGetValue(second, out var theirs)) continue;
            if (mine.Count < MinimumRequestsPerSecond || theirs.Count < MinimumRequestsPerSecond) continue;
            var (a, b) = (Measure(mine, probe), Measure(theirs, probe));
            if (b > 0 && double.IsFinite(a)) ratios.Add(a / b);
        }
        return ratios;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double Measure(Histograms.LatencyHistogram histogram, Threshold threshold) => threshold.Metric switch
    {
        ThresholdMetric.Percentile => histogram.Percentile(threshold.Percentile!.Value).TotalMilliseconds,
        ThresholdMetric.Min => histogram.MinMicroseconds / 1000.0,
        ThresholdMetric.Max => histogram.MaxMicroseconds / 1000.0,
        _ => histogram.MeanMicroseconds / 1000.0,
    };

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
