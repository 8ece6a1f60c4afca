using Grpc.Core;

namespace Pipeline.LoadTesting.Scenarios;

/// <summary>
/// Builds gRPC scenarios: one unary call per request. An OK answer is recorded as status 200 (gRPC's OK travels in an
/// HTTP/2 200, so reports and thresholds read it like an HTTP success); any other gRPC status is an error of kind
/// "grpc.{Code}", e.g. "grpc.Unavailable", because gRPC answers errors inside that same 200 and a status-code table
/// of 200s would hide them.
/// </summary>
public static class GrpcScenario
{
    /// <summary>The error kind a call that ended with <paramref name="code"/> is recorded with.</summary>
    public static string ErrorKind(StatusCode code) => $"grpc.{code}";

    /// <param name="plan">The next call; invoked once per request.</param>
    /// <param name="responseSize">Bytes of a response on the wire (e.g. a protobuf message's CalculateSize), for bytes received.</param>
    public static LoadScenario Create<TResponse>(Func<GrpcCallPlan<TResponse>> plan, Func<TResponse, long>? responseSize = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return async cancellationToken =>
        {
            var (call, sent, check) = plan();
            try
            {
                using var pending = call(new CallOptions(cancellationToken: cancellationToken));
                var response = await pending.ResponseAsync.ConfigureAwait(false);
                return new RequestOutcome(200, sent, responseSize?.Invoke(response) ?? 0, check?.Invoke(response));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken); // the run's hard stop: the runner records it
            }
            catch (RpcException e)
            {
                return RequestOutcome.Failed(ErrorKind(e.StatusCode), sent);
            }
        };
    }
}
