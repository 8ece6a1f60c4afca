using System.Diagnostics;
using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Serving.Server.Metrics;

namespace Serving.Server.Grpc;

/// <summary>
/// Counts the ModelInfer calls gRPC refuses before the service sees them (a message past the receive limit, bytes that
/// are not a ModelInferRequest). The service counts every call it handles; without this, those refusals would be
/// missing from mlops_inference_requests_total and mlops_grpc_requests_total, which count every REST request.
/// </summary>
internal sealed class GrpcUnreadCallMetricsMiddleware(RequestDelegate next, RequestMetrics requests, GrpcRequestMetrics grpcRequests)
{
    private const string ModelInferMethod = "/inference.GRPCInferenceService/ModelInfer";

    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName == ModelInferMethod
            ? InvokeModelInferAsync(context)
            : next(context);

    private async Task InvokeModelInferAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        await next(context);
        if (context.Features.Get<ModelInferCounted>() is not null) return;
        // A client that reset its stream before its message was read is nobody's error: REST counts it as 499, and
        // counting it as an unparsable message (UNKNOWN, 400) made load generators' end-of-run resets look like bad requests.
        if (context.RequestAborted.IsCancellationRequested)
        {
            requests.Observe(Inference.InferencePipeline.ClientClosedRequest, Stopwatch.GetElapsedTime(started));
            grpcRequests.Observe(StatusCode.Cancelled);
            return;
        }

        var code = ReadStatus(context);
        // gRPC answers UNKNOWN when the bytes do not parse as a ModelInferRequest: the client's mistake, which REST
        // counts as 400 (a body that is not JSON), not a server fault that should page anyone.
        var status = code == StatusCode.Unknown ? StatusCodes.Status400BadRequest : GrpcStatusMapping.ToHttpStatus(code);
        requests.Observe(status, Stopwatch.GetElapsedTime(started));
        grpcRequests.Observe(code);
    }

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only answer.</summary>
    private static StatusCode ReadStatus(HttpContext context)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var value = trailers is not null && trailers.TryGetValue("grpc-status", out var fromTrailers) ? fromTrailers : context.Response.Headers["grpc-status"];
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode)code : StatusCode.Unknown;
    }
}

/// <summary>Set on a call's features by the service once it handles (and counts) a ModelInfer call.</summary>
internal sealed class ModelInferCounted
{
    public static ModelInferCounted Instance { get; } = new();
}
