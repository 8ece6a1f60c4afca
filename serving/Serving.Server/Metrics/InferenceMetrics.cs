using Prometheus;

namespace Serving.Server.Metrics;

/// <summary>
/// Triton-compatible inference metrics for the served model, as prometheus-net counters and a gauge labelled
/// model and version. Durations are cumulative microseconds over successful requests, as Triton reports them.
/// </summary>
internal sealed class InferenceMetrics
{
    private readonly Counter.Child _requestSuccess;
    private readonly Counter.Child _requestFailure;
    private readonly Counter.Child _inferenceCount;
    private readonly Counter.Child _executionCount;
    private readonly Counter.Child _requestDurationUs;
    private readonly Counter.Child _queueDurationUs;
    private readonly Counter.Child _computeDurationUs;
    private readonly Gauge.Child _pending;

    /// <param name="registry">This server's own registry: several servers may share a process (tests do).</param>
    public InferenceMetrics(CollectorRegistry registry, string model, string version)
    {
        // Triton's names, without the _total suffix Prometheus conventions would add: dashboards query these.
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        Counter.Child Counter(string name, string help) => factory.CreateCounter(name, help, "model", "version").WithLabels(model, version);
        _requestSuccess = Counter("nv_inference_request_success", "Number of successful inference requests, all batch sizes");
        _requestFailure = Counter("nv_inference_request_failure", "Number of failed inference requests, all batch sizes");
        _inferenceCount = Counter("nv_inference_count", "Number of inferences performed (a request of N rows counts N)");
        _executionCount = Counter("nv_inference_exec_count", "Number of model executions performed (merged requests run once)");
        _requestDurationUs = Counter("nv_inference_request_duration_us", "Cumulative inference request duration in microseconds");
        _queueDurationUs = Counter("nv_inference_queue_duration_us", "Cumulative inference queuing duration in microseconds");
        _computeDurationUs = Counter("nv_inference_compute_infer_duration_us", "Cumulative compute inference duration in microseconds");
        _pending = factory.CreateGauge("nv_inference_pending_request_count", "Instantaneous number of pending requests awaiting execution", "model", "version")
            .WithLabels(model, version);
    }

    public void RequestSucceeded(int rows, long requestUs, long queueUs, long computeUs)
    {
        _requestSuccess.Inc();
        _inferenceCount.Inc(rows);
        _requestDurationUs.Inc(requestUs);
        _queueDurationUs.Inc(queueUs);
        _computeDurationUs.Inc(computeUs);
    }

    public void RequestFailed() => _requestFailure.Inc();

    /// <summary>One model run, whatever the number of requests merged into it.</summary>
    public void Executed() => _executionCount.Inc();

    public void PendingAdded() => _pending.Inc();

    public void PendingRemoved() => _pending.Dec();
}
