using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Serving.Server.Hosting;

/// <summary>
/// The server's readiness as an ASP.NET Core health check, which grpc.health.v1.Health reports (Kubernetes' native
/// grpc probe): SERVING once the model is warmed up, NOT_SERVING before and from SIGTERM on, like /v2/health/ready.
/// </summary>
internal sealed class ReadinessHealthCheck(ServerReadiness readiness) : IHealthCheck
{
    public const string Name = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy("The model is loaded and warmed up.")
            : HealthCheckResult.Unhealthy("Not ready: the model is warming up, or the server is shutting down."));
}
