using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Serving.Server.Configuration;
using Serving.Server.Hosting;
using Serving.Server.Inference;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Http;

/// <summary>
/// POST /v2/models/{model}[/versions/{version}]/infer: admit, read, parse, check, run, answer. The order is
/// chosen so refusals cost least: unknown model, not ready, too large and overloaded are all answered before a
/// byte of the body is read.
/// </summary>
internal sealed class InferenceEndpoint(
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

    /// <summary>Handles one request and records its final status and wall time, whatever the outcome.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await HandleCoreAsync(context, started);
            status = context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = ClientClosedRequest;
            throw;
        }
        catch (Exception e)
        {
            // The status ErrorHandlingMiddleware will answer with: it maps failures the same way.
            status = ErrorResponses.Map(e).Status;
            throw;
        }
        finally
        {
            requests.Observe(status, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task HandleCoreAsync(HttpContext context, long started)
    {
        ModelRoute.Resolve(model, context.Request);
        var admitted = false;
        InferenceCall? call = null;
        try
        {
            if (!readiness.CanInfer)
                throw ServingException.Unavailable($"Model '{model.Name}' is not ready yet (warming up); retry shortly.");
            RequestBodyReader.RejectDeclaredOversize(context.Request, options.MaxRequestBodyBytes);
            if (!admission.TryEnter())
            {
                throw ServingException.Unavailable(
                    $"The server is at capacity ({admission.Limit} inference requests in flight); retry shortly or lower the client's concurrency.");
            }

            admitted = true;
            metrics.PendingAdded();
            using (var body = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBodyBytes))
            {
                var headerLength = ReadHeaderLength(context.Request, body.Length);
                var all = body.Span;
                using var request = InferenceRequestParser.Parse(all[..(headerLength ?? all.Length)], model.Inputs, options.MaxBatchSize);
                var binary = headerLength is { } length ? all[length..] : default;
                call = InferenceCallBinder.Bind(request, binary, headerLength.HasValue, model, options.MaxBatchSize);
            }

            await executor.RunAsync(call, context.RequestAborted);
            answered.Observe(call);
            await InferenceResponseWriter.WriteAsync(context.Response, call);
            metrics.RequestSucceeded(call.Rows,
                Microseconds(started, Stopwatch.GetTimestamp()),
                Microseconds(call.QueuedAt, call.ComputeStartedAt),
                Microseconds(call.ComputeStartedAt, call.ComputeFinishedAt));
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

    /// <returns>The JSON header's length from Inference-Header-Content-Length, or null without the header.</returns>
    private static int? ReadHeaderLength(HttpRequest request, int bodyLength)
    {
        if (bodyLength == 0) throw ServingException.BadRequest("The request body is empty; send an inference request JSON object.");
        var values = request.Headers[InferenceResponseWriter.HeaderLengthHeader];
        if (values.Count == 0) return null;
        if (values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0 && length <= bodyLength)
            return length;
        throw ServingException.BadRequest(
            $"{InferenceResponseWriter.HeaderLengthHeader} '{values}' must be a whole number from 1 to the body length ({bodyLength}).");
    }

    private static long Microseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).Ticks / TimeSpan.TicksPerMicrosecond;
}
