using Prometheus;

namespace Serving.Server.Metrics;

/// <summary>
/// Every infer request by final HTTP status code, and its wall time whatever the outcome. Labelled with the served
/// model's name and version only, so no client-chosen text (an unknown model's name) ever becomes a series.
/// </summary>
internal sealed class RequestMetrics
{
    /// <summary>The contract's buckets (seconds): alert rules and dashboards compute p99 from them.</summary>
    public static ReadOnlySpan<double> DurationBuckets => [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    // Codes shown at 0 from the start, so error ratios have a denominator and numerator before the first failure.
    private static ReadOnlySpan<int> KnownCodes => [200, 400, 401, 404, 413, 500, 503];

    private readonly Counter _requests;
    private readonly string _model;
    private readonly string _version;
    private readonly Histogram.Child _duration;
    // Children by status code (100–599), created on first use: status codes come from the server, never from the client.
    private readonly Counter.Child?[] _byCode = new Counter.Child?[600];

    public RequestMetrics(CollectorRegistry registry, string model, string version)
    {
        _model = model;
        _version = version;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _requests = factory.CreateCounter("mlops_inference_requests_total",
            "Inference requests by final HTTP status code, every outcome", "model", "version", "code");
        _duration = factory.CreateHistogram("mlops_inference_request_duration_seconds",
            "Wall time of inference requests at the endpoint, every outcome",
            new HistogramConfiguration { LabelNames = ["model", "version"], Buckets = DurationBuckets.ToArray() }).WithLabels(model, version);
        foreach (var code in KnownCodes) ChildFor(code);
    }

    public void Observe(int statusCode, TimeSpan elapsed)
    {
        ChildFor(statusCode).Inc();
        _duration.Observe(elapsed.TotalSeconds);
    }

    private Counter.Child ChildFor(int code)
    {
        if (code is < 100 or > 599) code = 500;
        // A race creates the same child twice: prometheus-net hands back one child per label set.
        return Volatile.Read(ref _byCode[code]) ?? (_byCode[code] = _requests.WithLabels(_model, _version, code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
