using System.Diagnostics;
using Serving.Server.Configuration;
using Serving.Server.Hosting;
using Serving.Server.Http;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// The one path every inference request takes, whether REST or gRPC carried it: model check, readiness, size limit,
/// admission, bind (the protocol's part), run on the shared executor (so dynamic batching merges both), per-row
/// metrics, answer (the protocol's part), and the final status and wall time. The order is chosen so refusals cost
/// least: unknown model, not ready, too large and overloaded are all answered before the request is parsed.
/// </summary>
internal sealed class InferencePipeline(
    ServedModel model,
    ServerReadiness readiness,
    AdmissionControl admission,
    IInferenceExecutor executor,
    InferenceMetrics metrics,
    RequestMetrics requests,
    AnsweredRowMetrics answered,
    ServerOptions options)
{
    /// <summary>nginx's code for a client that closed the connection before the answer: nobody got a status.</summary>
    public const int ClientClosedRequest = 499;

    public ServedModel Model => model;

    /// <summary>Handles one request and records its final HTTP-equivalent status and wall time, whatever the outcome.</summary>
    /// <param name="target">The model, version and (when known before reading) request size the client gave.</param>
    /// <param name="bind">Reads and checks the request (the protocol's part); the pipeline disposes the call.</param>
    /// <param name="answer">Sends the outputs (the protocol's part), before the request counts as succeeded.</param>
    public async Task<TResult> HandleAsync<TState, TResult>(InferenceTarget target, TState state,
        Func<TState, CancellationToken, ValueTask<InferenceCall>> bind,
        Func<TState, InferenceCall, ValueTask<TResult>> answer,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var status = 500;
        try
        {
            var result = await HandleCoreAsync(target, state, bind, answer, started, cancellationToken);
            status = 200;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = ClientClosedRequest;
            throw;
        }
        catch (Exception e)
        {
            // The status the protocol's error handling answers with: both map failures through ErrorResponses.
            status = ErrorResponses.Map(e).Status;
            throw;
        }
        finally
        {
            requests.Observe(status, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<TResult> HandleCoreAsync<TState, TResult>(InferenceTarget target, TState state,
        Func<TState, CancellationToken, ValueTask<InferenceCall>> bind,
        Func<TState, InferenceCall, ValueTask<TResult>> answer,
        long started, CancellationToken cancellationToken)
    {
        ModelLookup.Resolve(model, target.Model, target.Version);
        var admitted = false;
        InferenceCall? call = null;
        try
        {
            if (!readiness.CanInfer)
                throw ServingException.Unavailable($"Model '{model.Name}' is not ready yet (warming up); retry shortly.");
            if (target.Bytes is { } bytes && bytes > options.MaxRequestBodyBytes)
                throw ServingException.PayloadTooLarge(InferenceMessages.BodyTooLarge(bytes, options.MaxRequestBodyBytes));
            if (!admission.TryEnter())
            {
                throw ServingException.Unavailable(
                    $"The server is at capacity ({admission.Limit} inference requests in flight); retry shortly or lower the client's concurrency.");
            }

            admitted = true;
            metrics.PendingAdded();
            call = await bind(state, cancellationToken);
            await executor.RunAsync(call, cancellationToken);
            answered.Observe(call);
            var result = await answer(state, call);
            metrics.RequestSucceeded(call.Rows,
                Microseconds(started, Stopwatch.GetTimestamp()),
                Microseconds(call.QueuedAt, call.ComputeStartedAt),
                Microseconds(call.ComputeStartedAt, call.ComputeFinishedAt));
            return result;
        }
        catch
        {
            metrics.RequestFailed();
            throw;
        }
        finally
        {
            if (admitted)
            {
                if (call is not { HasStarted: true }) metrics.PendingRemoved();
                admission.Exit();
            }

            call?.Dispose();
        }
    }

    private static long Microseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).Ticks / TimeSpan.TicksPerMicrosecond;
}

/// <summary>What a request asks for before it is read: the model and version it names, and its size when declared.</summary>
internal readonly record struct InferenceTarget(string? Model, string? Version, long? Bytes);
