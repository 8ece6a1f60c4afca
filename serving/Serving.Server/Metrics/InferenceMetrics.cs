namespace Serving.Server.Metrics;

/// <summary>
/// Triton-compatible inference counters for the served model, updated lock-free from request threads.
/// Durations are cumulative microseconds over successful requests, as Triton reports them.
/// </summary>
internal sealed class InferenceMetrics
{
    private long _requestSuccess;
    private long _requestFailure;
    private long _inferenceCount;
    private long _executionCount;
    private long _requestDurationUs;
    private long _queueDurationUs;
    private long _computeDurationUs;
    private long _pending;

    public void RequestSucceeded(int rows, long requestUs, long queueUs, long computeUs)
    {
        Interlocked.Increment(ref _requestSuccess);
        Interlocked.Add(ref _inferenceCount, rows);
        Interlocked.Add(ref _requestDurationUs, requestUs);
        Interlocked.Add(ref _queueDurationUs, queueUs);
        Interlocked.Add(ref _computeDurationUs, computeUs);
    }

    public void RequestFailed() => Interlocked.Increment(ref _requestFailure);

    /// <summary>One model run, whatever the number of requests merged into it.</summary>
    public void Executed() => Interlocked.Increment(ref _executionCount);

    public void PendingAdded() => Interlocked.Increment(ref _pending);

    public void PendingRemoved() => Interlocked.Decrement(ref _pending);

    public MetricsSnapshot Snapshot() => new(
        Interlocked.Read(ref _requestSuccess),
        Interlocked.Read(ref _requestFailure),
        Interlocked.Read(ref _inferenceCount),
        Interlocked.Read(ref _executionCount),
        Interlocked.Read(ref _requestDurationUs),
        Interlocked.Read(ref _queueDurationUs),
        Interlocked.Read(ref _computeDurationUs),
        Interlocked.Read(ref _pending));
}

internal readonly record struct MetricsSnapshot(
    long RequestSuccess,
    long RequestFailure,
    long InferenceCount,
    long ExecutionCount,
    long RequestDurationUs,
    long QueueDurationUs,
    long ComputeDurationUs,
    long PendingRequests);
