using Serving.Server.Configuration;
using Serving.Server.Hosting;

namespace Serving.Server.Grpc;

/// <summary>
/// The gRPC side of the server: inference.GRPCInferenceService and grpc.health.v1.Health (readiness, for Kubernetes'
/// native grpc probe). <see cref="ListenerSeparationMiddleware"/> keeps both on the gRPC port.
/// </summary>
internal static class GrpcRoutes
{
    /// <summary>The inference service's full name, which grpc.health.v1 can also be asked about.</summary>
    public const string GrpcServiceName = "inference.GRPCInferenceService";

    public static void AddServices(IServiceCollection services, ServerOptions options)
    {
        services.AddGrpc(grpc =>
        {
            // Twice the REST body limit, as Kestrel's bound is for REST: ModelInfer refuses messages over the limit
            // itself, with REST's message, and this only caps what a client can make the server buffer.
            grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, 2 * options.MaxRequestBodyBytes);
            grpc.EnableDetailedErrors = false;
        });
        services.AddGrpcHealthChecks(health => health.Services.Map(GrpcServiceName, _ => true))
            .AddCheck<ReadinessHealthCheck>(ReadinessHealthCheck.Name);
    }

    public static void Map(WebApplication app)
    {
        // Created now so the series show at 0 before the first call.
        _ = app.Services.GetRequiredService<Metrics.GrpcRequestMetrics>();
        app.MapGrpcService<GrpcInferenceService>();
        app.MapGrpcHealthChecksService();
    }
}
