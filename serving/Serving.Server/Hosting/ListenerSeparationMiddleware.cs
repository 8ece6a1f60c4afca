using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Serving.Server.Http;

namespace Serving.Server.Hosting;

/// <summary>
/// Keeps each API on its own port: gRPC methods answer only on the gRPC port, REST routes and /metrics only on the
/// REST port. Routing has already picked the endpoint; one from the other API is refused with 404, so a client
/// pointed at the wrong port learns which one to use instead of meeting a protocol error.
/// </summary>
internal sealed class ListenerSeparationMiddleware(RequestDelegate next, ServerListeners listeners)
{
    public Task InvokeAsync(HttpContext context)
    {
        var onGrpcPort = context.Connection.LocalPort == listeners.GrpcPort;
        var isGrpcMethod = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
        if (onGrpcPort == isGrpcMethod) return next(context);
        var message = onGrpcPort
            ? $"Port {listeners.GrpcPort} serves only gRPC (inference.GRPCInferenceService and grpc.health.v1.Health over HTTP/2); the REST API and /metrics are on port {listeners.RestPort}."
            : $"No route for {context.Request.Method} {context.Request.Path}; gRPC is served on port {listeners.GrpcPort}, the REST API under /v2.";
        return ErrorResponses.WriteAsync(context.Response, StatusCodes.Status404NotFound, message);
    }
}
