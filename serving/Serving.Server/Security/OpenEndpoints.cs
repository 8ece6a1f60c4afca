using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Serving.Server.Security;

/// <summary>
/// Which requests need no API key. REST routes say so themselves (<c>.AllowAnonymous()</c> on health, model ready and
/// /metrics); gRPC methods are known by path, so this does not depend on the gRPC service code. Anything else,
/// including unknown paths, needs a key: a route added later is protected until someone opens it on purpose.
/// </summary>
internal static class OpenEndpoints
{
    private const string InferenceService = "/inference.GRPCInferenceService/";
    private const string HealthService = "/grpc.health.v1.Health/";

    // Ordinal: gRPC method paths are case-sensitive; another spelling that routing still matches stays protected.
    private static readonly FrozenSet<string> OpenGrpcMethods =
        new[] { InferenceService + "ServerLive", InferenceService + "ServerReady", InferenceService + "ModelReady" }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsOpen(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null) return true;
        var path = context.Request.Path.Value ?? "";
        return OpenGrpcMethods.Contains(path) || path.StartsWith(HealthService, StringComparison.Ordinal);
    }

    /// <summary>True for infer calls, REST or gRPC: their refusals also count in mlops_inference_requests_total.</summary>
    public static bool IsInference(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<InferenceRouteMetadata>() is not null
        || string.Equals(context.Request.Path.Value, InferenceService + "ModelInfer", StringComparison.Ordinal);

    /// <summary>gRPC calls get gRPC's own status; content types are application/grpc, application/grpc+proto, ...</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>Marks the REST infer routes.</summary>
internal sealed class InferenceRouteMetadata
{
    public static readonly InferenceRouteMetadata Instance = new();
}
