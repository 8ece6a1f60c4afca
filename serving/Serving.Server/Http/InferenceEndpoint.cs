using System.Globalization;
using Microsoft.AspNetCore.Http;
using Serving.Server.Configuration;
using Serving.Server.Inference;
using Serving.Server.Model;

namespace Serving.Server.Http;

/// <summary>
/// POST /v2/models/{model}[/versions/{version}]/infer: REST's part of <see cref="InferencePipeline"/> — read the
/// body (JSON, or JSON header plus binary tensor data), parse and bind it, and write the answer.
/// </summary>
internal sealed class InferenceEndpoint(InferencePipeline pipeline, ServerOptions options)
{
    private readonly InferencePipeline _pipeline = pipeline;
    private readonly ServerOptions _options = options;

    /// <summary>Handles one request; failures escape to <see cref="ErrorHandlingMiddleware"/>, which answers them.</summary>
    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = new InferenceTarget(request.RouteValues[ModelRoute.ModelKey] as string, ModelRoute.Version(request), request.ContentLength);
        return _pipeline.HandleAsync(target, (this, context), BindAsync, AnswerAsync, context.RequestAborted);
    }

    private static async ValueTask<InferenceCall> BindAsync((InferenceEndpoint Endpoint, HttpContext Context) state, CancellationToken cancellationToken)
    {
        var (endpoint, context) = state;
        var model = endpoint._pipeline.Model;
        var maxBatchSize = endpoint._options.MaxBatchSize;
        using var body = await RequestBodyReader.ReadAsync(context.Request, endpoint._options.MaxRequestBodyBytes);
        var headerLength = ReadHeaderLength(context.Request, body.Length);
        var all = body.Span;
        using var request = InferenceRequestParser.Parse(all[..(headerLength ?? all.Length)], model.Inputs, maxBatchSize);
        var binary = headerLength is { } length ? all[length..] : default;
        return InferenceCallBinder.Bind(request, binary, headerLength.HasValue, model, maxBatchSize);
    }

    private static async ValueTask<bool> AnswerAsync((InferenceEndpoint Endpoint, HttpContext Context) state, InferenceCall call)
    {
        await InferenceResponseWriter.WriteAsync(state.Context.Response, call);
        return true;
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
}
