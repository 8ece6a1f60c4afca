using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Serving.Server.Inference;

namespace Serving.Server.Grpc;

/// <summary>The contract's mapping between REST's HTTP statuses and gRPC status codes: one place for both directions.</summary>
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

    /// <summary>The HTTP-equivalent status of a gRPC refusal the service did not make itself.</summary>
    public static int ToHttpStatus(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.ResourceExhausted => StatusCodes.Status413PayloadTooLarge,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.Cancelled => InferencePipeline.ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
