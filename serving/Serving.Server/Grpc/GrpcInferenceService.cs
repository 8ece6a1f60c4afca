using Grpc.Core;
using Serving.Protocol.Inference;
using Serving.Server.Configuration;
using Serving.Server.Hosting;
using Serving.Server.Http;
using Serving.Server.Inference;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Grpc;

/// <summary>
/// inference.GRPCInferenceService, the Open Inference Protocol over gRPC. Answers what the REST routes answer, from the
/// same state; ModelInfer runs through the same <see cref="InferencePipeline"/> as REST's infer route.
/// </summary>
internal sealed class GrpcInferenceService(
    ServedModel model,
    ServerReadiness readiness,
    InferencePipeline pipeline,
    GrpcRequestMetrics grpcRequests,
    ServerOptions options,
    ILogger<GrpcInferenceService> logger) : GRPCInferenceService.GRPCInferenceServiceBase
{
    // Liveness says only that the process answers: it must not depend on the model, or a slow load gets it killed.
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = readiness.IsReady });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        Answer(context, () =>
        {
            ModelLookup.Resolve(model, request.Name, request.Version);
            return new ModelReadyResponse { Ready = readiness.IsReady };
        });

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var response = new ServerMetadataResponse { Name = ServerIdentity.Name, Version = ServerIdentity.Version };
        response.Extensions.Add(ServerIdentity.Extensions);
        return Task.FromResult(response);
    }

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) =>
        Answer(context, () =>
        {
            ModelLookup.Resolve(model, request.Name, request.Version);
            var response = new ModelMetadataResponse { Name = model.Name, Platform = ServedModel.Platform };
            response.Versions.Add(model.Version);
            foreach (var spec in model.Inputs) response.Inputs.Add(Metadata(spec));
            foreach (var spec in model.Outputs) response.Outputs.Add(Metadata(spec));
            return response;
        });

    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        var code = StatusCode.Internal;
        context.GetHttpContext().Features.Set(ModelInferCounted.Instance);
        try
        {
            // The message is already read: its size is checked here, under the same limit and message as a REST body.
            var target = new InferenceTarget(request.ModelName, request.ModelVersion, request.CalculateSize());
            var response = await pipeline.HandleAsync(target, (Request: request, Model: model, options.MaxBatchSize), BindAsync, AnswerAsync, context.CancellationToken);
            code = StatusCode.OK;
            return response;
        }
        catch (Exception e)
        {
            var failure = ToRpcException(e, context);
            code = failure.StatusCode;
            throw failure;
        }
        finally
        {
            grpcRequests.Observe(code);
        }
    }

    private static ValueTask<InferenceCall> BindAsync((ModelInferRequest Request, ServedModel Model, int MaxBatchSize) state, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GrpcInferRequestReader.Bind(state.Request, state.Model, state.MaxBatchSize));

    private static ValueTask<ModelInferResponse> AnswerAsync((ModelInferRequest Request, ServedModel Model, int MaxBatchSize) state, InferenceCall call) =>
        ValueTask.FromResult(GrpcInferResponseWriter.Write(call));

    private static ModelMetadataResponse.Types.TensorMetadata Metadata(TensorSpec spec)
    {
        var tensor = new ModelMetadataResponse.Types.TensorMetadata { Name = spec.Name, Datatype = spec.Datatype };
        tensor.Shape.Add(spec.Shape);
        return tensor;
    }

    private Task<T> Answer<T>(ServerCallContext context, Func<T> answer)
    {
        try
        {
            return Task.FromResult(answer());
        }
        catch (Exception e)
        {
            throw ToRpcException(e, context);
        }
    }

    /// <summary>A failure as the contract's gRPC status, whose detail is exactly REST's error message.</summary>
    private RpcException ToRpcException(Exception exception, ServerCallContext context)
    {
        if (exception is RpcException rpc) return rpc;
        if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            return new RpcException(new Status(StatusCode.Cancelled, "The client cancelled the call."));
        var (status, message, isServerFault) = ErrorResponses.Map(exception);
        if (isServerFault) logger.LogError(exception, "gRPC {Method} failed", context.Method);
        else logger.LogDebug("gRPC {Method} refused with {Status}: {Message}", context.Method, status, message);
        return new RpcException(new Status(GrpcStatusMapping.FromHttpStatus(status), message));
    }
}
