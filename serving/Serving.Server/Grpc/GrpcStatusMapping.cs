using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Serving.Server.Inference;

namespace Serving.Server.Grpc;

/// <summary>The contract's mapping between REST's HTTP statuses and gRPC status codes: one table, both directions' source.</summary>
internal static class GrpcStatusMapping
{
    public static StatusCode FromHttpStatus(int status) => status switch
    {
        StatusCodes.Status200OK => StatusCode.OK,
        StatusCodes.Status400BadRequest => StatusCode.InvalidArgument,
        StatusCodes.Status404NotFound => StatusCode.NotFound,
        StatusCodes.Status413PayloadTooLarge => StatusCode.ResourceExhausted,
        StatusCodes.Status503ServiceUnavailable => StatusCode.Unavailable,
        InferencePipeline.ClientClosedRequest => StatusCode.Cancelled,
        _ => StatusCode.Internal,
    };
}
