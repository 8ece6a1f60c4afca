using Grpc.Core;
using Prometheus;

namespace Serving.Server.Metrics;

/// <summary>
/// gRPC ModelInfer calls by final gRPC status code (mlops_grpc_requests_total{grpc_code}), beside their HTTP-equivalent
/// code in <see cref="RequestMetrics"/>. Codes are the gRPC status names (OK, InvalidArgument, ...), from the server.
/// </summary>
internal sealed class GrpcRequestMetrics
{
    // Shown at 0 from the start, so ratios have a numerator and denominator before the first failure.
    private static readonly StatusCode[] KnownCodes =
        [StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.ResourceExhausted, StatusCode.Unavailable, StatusCode.Internal];

    private readonly Counter _requests;
    private readonly string _model;
    private readonly string _version;
    // Children by code (gRPC defines 0-16), created on first use so a request never looks its labels up.
    private readonly Counter.Child?[] _byCode = new Counter.Child?[17];

    public GrpcRequestMetrics(CollectorRegistry registry, string model, string version)
    {
        _model = model;
        _version = version;
        _requests = Prometheus.Metrics.WithCustomRegistry(registry).CreateCounter("mlops_grpc_requests_total",
            "gRPC ModelInfer requests by final gRPC status code, every outcome", "model", "version", "grpc_code");
        foreach (var code in KnownCodes) ChildFor(code);
    }

    public void Observe(StatusCode code) => ChildFor(code).Inc();

    private Counter.Child ChildFor(StatusCode code)
    {
        if ((int)code is < 0 or > 16) code = StatusCode.Unknown;
        // A race creates the same child twice: prometheus-net hands back one child per label set.
        return Volatile.Read(ref _byCode[(int)code]) ?? (_byCode[(int)code] = _requests.WithLabels(_model, _version, code.ToString()));
    }
}
