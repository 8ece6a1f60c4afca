using Grpc.Core;

namespace Pipeline.LoadTesting.Scenarios;

/// <summary>
/// One unary call of a gRPC scenario: how to start it with the run's call options, the request's size on the wire
/// (for bytes sent), and optionally a check of a successful response returning the error kind to record, or null.
/// </summary>
public sealed record GrpcCallPlan<TResponse>(Func<CallOptions, AsyncUnaryCall<TResponse>> Call, long BytesSent = 0, Func<TResponse, string?>? Check = null);
