using System.Collections.Concurrent;
using Pipeline.LoadTesting.Histograms;
using Pipeline.LoadTesting.Scenarios;

namespace Pipeline.LoadTesting.Results;

/// <summary>
/// Collects outcomes of the measured (post-warm-up) part of one run. Thread-safe: every worker records into it.
/// <paramref name="second"/> is the whole second since measurement start, for the time series.
/// </summary>
public sealed class LoadRecorder
{
    // Per-second histograms trade precision (2 significant digits, ≤ 0.8%) for memory: one exists per second of the run.
    private const int PerSecondSignificantDigits = 2;

    private readonly LatencyHistogram _latency = new();
    private readonly ConcurrentDictionary<int, SecondAccumulator> _seconds = new();
    private readonly ConcurrentDictionary<int, long> _byStatus = new();
    private readonly ConcurrentDictionary<string, long> _byErrorKind = new(StringComparer.Ordinal);
    private long _errors;
    private long _dropped;
    private long _abandoned;
    private long _bytesSent;
    private long _bytesReceived;

    public void Record(int second, TimeSpan latency, RequestOutcome outcome)
    {
        _latency.Record(latency);
        var bucket = _seconds.GetOrAdd(second, _ => new SecondAccumulator());
        bucket.Latency.Record(latency);
        Interlocked.Add(ref _bytesSent, outcome.BytesSent);
        Interlocked.Add(ref _bytesReceived, outcome.BytesReceived);
        if (outcome.StatusCode is { } status) _byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (outcome.ErrorKind is { } kind) _byErrorKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (outcome.IsError)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.Increment(ref bucket.Errors);
        }
    }

    /// <summary>A request the schedule called for but the concurrency bound refused to start.</summary>
    public void RecordDropped(int second)
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref _seconds.GetOrAdd(second, _ => new SecondAccumulator()).Dropped);
    }

    /// <summary>Requests still running at the hard stop that ignored cancellation: errors without a latency.</summary>
    public void RecordAbandoned(long count, string errorKind)
    {
        Interlocked.Add(ref _errors, count);
        Interlocked.Add(ref _abandoned, count);
        _byErrorKind.AddOrUpdate(errorKind, count, (_, n) => n + count);
    }

    public LoadTestResult ToResult(LoadModel model, TimeSpan measuredDuration)
    {
        var series = _seconds.OrderBy(p => p.Key).Select(p => new SecondSample(
            p.Key, p.Value.Latency.Count, Interlocked.Read(ref p.Value.Errors), Interlocked.Read(ref p.Value.Dropped),
            p.Value.Latency.Percentile(50), p.Value.Latency.Percentile(99))).ToList();
        return new LoadTestResult(
            model, measuredDuration, _latency, LatencySummary.From(_latency), Interlocked.Read(ref _errors), Interlocked.Read(ref _dropped), Interlocked.Read(ref _abandoned),
            new SortedDictionary<int, long>(_byStatus), new SortedDictionary<string, long>(_byErrorKind, StringComparer.Ordinal),
            Interlocked.Read(ref _bytesSent), Interlocked.Read(ref _bytesReceived), series)
        {
            SecondHistograms = _seconds.ToDictionary(p => p.Key, p => p.Value.Latency),
        };
    }

    private sealed class SecondAccumulator
    {
        public readonly LatencyHistogram Latency = new(PerSecondSignificantDigits);
        public long Errors;
        public long Dropped;
    }
}
