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

    /// <summary>Fewer paired windows than this and a latency comparison falls back to the whole-run ratio.</summary>
    public const int MinimumPairedWindows = 5;

    /// <summary>A window's percentile must rest on at least this many samples above it on each side.</summary>
    public const int MinimumTailSamples = 10;

    /// <summary>Windows for a mean or median need at least this many samples on each side.</summary>
    public const int MinimumWindowSamples = 50;

    /// <summary>
    /// Candidate and baseline measured by the same rule. Latencies are compared window by window (a window is the
    /// fewest whole seconds that give each side enough samples: for p99, a thousand), since machine noise moves both
    /// sides within a window. A threshold fails only when the windows show the regression beyond chance (a one-sided
    /// sign test at 5 %: with ten windows, nine past the limit; with five, all five, so a single stall shared by both
    /// sides can hide a regression: measure long enough for ten) and the whole-run ratio is past it too.
    /// Why not the median of the window ratios: under CPU contention a tail is a few stalls of one server (a GC or a
    /// descheduled thread delays the next 25 requests at once), so a window's p99 rests on one or two events. Two
    /// identical containers on a machine at a load average of 12-15 gave window medians of 0.63, 0.72, 1.09 and 1.36
    /// and whole-run ratios of 0.32 to 4.4, either side ahead at random. A real slowdown is past the limit in every
    /// window. Max and min have no tail to rest on and compare whole runs.
    /// </summary>
    public static IReadOnlyList<RelativeThresholdResult> Evaluate(LoadTestResult candidate, LoadTestResult baseline, IEnumerable<RelativeThreshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        return thresholds.Select(t =>
        {
            // With limit = factor, the threshold applies to a ratio as it is.
            var asRatio = t.AgainstBaseline(1);
            var (measured, reference) = (Measure(candidate, asRatio), Measure(baseline, asRatio));
            var (paired, seconds) = asRatio.Metric is ThresholdMetric.Percentile or ThresholdMetric.Mean
                ? PairedRatios(candidate, baseline, asRatio)
                : ([], 0);
            var wholeRun = reference == 0 ? double.NaN : measured / reference;
            if (paired.Count < MinimumPairedWindows)
                return new RelativeThresholdResult(t, measured, reference, wholeRun, 0, 0, asRatio.Holds(wholeRun)) { WholeRunRatio = wholeRun };

            var beyond = paired.Count(r => !asRatio.Holds(r));
            var needed = SignTest.WindowsNeeded(paired.Count);
            var regressed = beyond >= needed && !asRatio.Holds(wholeRun);
            return new RelativeThresholdResult(t, measured, reference, Median(paired), paired.Count, seconds, !regressed)
            {
                WholeRunRatio = wholeRun,
                WindowsBeyond = beyond,
                WindowsNeeded = needed,
            };
        }).ToList();
    }

    /// <summary>The ratios of the paired windows, and the window length in seconds.</summary>
    private static (List<double> Ratios, int WindowSeconds) PairedRatios(LoadTestResult candidate, LoadTestResult baseline, Threshold probe)
    {
        var seconds = candidate.SecondHistograms.Keys.Intersect(baseline.SecondHistograms.Keys).Order().ToArray();
        if (seconds.Length == 0) return ([], 0);
        var needed = probe.Metric == ThresholdMetric.Percentile
            ? Math.Max(MinimumWindowSamples, (long)Math.Ceiling(MinimumTailSamples / (1 - Math.Min(probe.Percentile!.Value, 99.99) / 100)))
            : MinimumWindowSamples;
        for (var width = 1; seconds.Length / width >= MinimumPairedWindows; width++)
        {
            var windows = seconds.GroupBy(s => s / width)
                .Select(g => (Candidate: Merged(candidate, g), Baseline: Merged(baseline, g), Full: g.Count() == width))
                .Where(w => w.Full)
                .ToList();
            if (windows.Count < MinimumPairedWindows || windows.Any(w => w.Candidate.Count < needed || w.Baseline.Count < needed)) continue;
            var ratios = windows.Select(w => (A: Measure(w.Candidate, probe), B: Measure(w.Baseline, probe)))
                .Where(r => r.B > 0 && double.IsFinite(r.A)).Select(r => r.A / r.B).ToList();
            return (ratios, width);
        }
        return ([], 0);
    }

    private static Histograms.LatencyHistogram Merged(LoadTestResult result, IEnumerable<int> seconds)
    {
        var window = new Histograms.LatencyHistogram(result.SecondHistograms.Values.First().SignificantDigits);
        foreach (var second in seconds) window.Merge(result.SecondHistograms[second]);
        return window;
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
