using Prometheus;

namespace Serving.Server.Metrics;

/// <summary>
/// Protected requests by outcome: accepted per key id (ids come from the key configuration, never from the client),
/// refused for a missing or wrong key. Exported only when authentication is on.
/// </summary>
internal sealed class AuthenticationMetrics
{
    private readonly Counter _authenticated;
    private readonly Counter.Child _unauthenticated;
    private readonly string _model;
    private readonly string _version;

    public AuthenticationMetrics(CollectorRegistry registry, string model, string version)
    {
        _model = model;
        _version = version;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _authenticated = factory.CreateCounter("mlops_authenticated_requests_total",
            "Protected requests accepted, by the id of the API key presented", "model", "version", "key_id");
        // Shown at 0 from the start, so a rate of refusals exists before the first one.
        _unauthenticated = factory.CreateCounter("mlops_unauthenticated_requests_total",
            "Protected requests refused for a missing or wrong API key", "model", "version").WithLabels(model, version);
    }

    public void Authenticated(string keyId) => _authenticated.WithLabels(_model, _version, keyId).Inc();

    public void Unauthenticated() => _unauthenticated.Inc();
}
