using Pipeline.LoadTesting.Histograms;

namespace Pipeline.LoadTesting.Results;

public enum LoadModel { Open, Closed }

/// <summary>The measured part of one run (warm-up excluded). Latency is from the scheduled send time in the open model.</summary>
public sealed record LoadTestResult(
    LoadModel Model,
    TimeSpan Duration,
    LatencyHistogram Histogram,
    LatencySummary Latency,
    long Errors,
    long Dropped,
    long Abandoned,
    IReadOnlyDictionary<int, long> StatusCodes,
    IReadOnlyDictionary<string, long> ErrorKinds,
    long BytesSent,
    long BytesReceived,
    IReadOnlyList<SecondSample> TimeSeries)
{
    /// <summary>Each measured second's own latency histogram, by second, for comparisons second by second.</summary>
    public IReadOnlyDictionary<int, LatencyHistogram> SecondHistograms { get; init; } = new Dictionary<int, LatencyHistogram>();

    /// <summary>Requests that completed (successfully or not); dropped ones are not in here.</summary>
    public long Requests => Latency.Count;

    public double RequestsPerSecond => Duration > TimeSpan.Zero ? Requests / Duration.TotalSeconds : 0;

    /// <summary>
    /// Errors (abandoned included) plus dropped, over every request the schedule asked for: a request the generator
    /// could not send failed too.
    /// </summary>
    public double ErrorRate => Requests + Dropped + Abandoned == 0 ? 0 : (double)(Errors + Dropped) / (Requests + Dropped + Abandoned);
}

public sealed record LatencySummary(
    long Count, TimeSpan Min, TimeSpan Mean, TimeSpan P50, TimeSpan P75, TimeSpan P90, TimeSpan P95, TimeSpan P99, TimeSpan P999, TimeSpan Max)
{
    public static LatencySummary From(LatencyHistogram h) => new(
        h.Count, TimeSpan.FromMicroseconds(h.MinMicroseconds), TimeSpan.FromMicroseconds(h.MeanMicroseconds),
        h.Percentile(50), h.Percentile(75), h.Percentile(90), h.Percentile(95), h.Percentile(99), h.Percentile(99.9),
        TimeSpan.FromMicroseconds(h.MaxMicroseconds));

    /// <summary>The (label, percentile, value) rows every report prints.</summary>
    public IReadOnlyList<(string Label, double Percentile, TimeSpan Value)> Rows =>
    [
        ("p50", 50, P50), ("p75", 75, P75), ("p90", 90, P90), ("p95", 95, P95), ("p99", 99, P99), ("p99.9", 99.9, P999), ("max", 100, Max),
    ];
}

/// <summary>One second of the measured run: completed requests, errors, dropped, and that second's p50/p99.</summary>
public sealed record SecondSample(int Second, long Count, long Errors, long Dropped, TimeSpan P50, TimeSpan P99);
