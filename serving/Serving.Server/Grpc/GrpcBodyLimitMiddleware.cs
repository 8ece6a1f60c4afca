using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Serving.Server.Grpc;

/// <summary>
/// Lifts Kestrel's request body limit (sized for REST bodies) from gRPC calls, which gRPC bounds per message with its
/// receive limit instead. With both in force they race on an oversized message: when Kestrel's trips first the client
/// gets UNKNOWN ("Exception was thrown by handler") instead of RESOURCE_EXHAUSTED.
/// </summary>
internal sealed class GrpcBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        return next(context);
    }
}
