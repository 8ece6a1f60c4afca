using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Serving.Server.Hosting;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Http;

/// <summary>The Open Inference Protocol routes under /v2, plus /metrics. Handlers are plain request delegates.</summary>
internal static class V2Routes
{
    public static void Map(WebApplication app)
    {
        var model = app.Services.GetRequiredService<ServedModel>();
        var readiness = app.Services.GetRequiredService<ServerReadiness>();
        var registry = app.Services.GetRequiredService<CollectorRegistry>();
        // Creating the metrics registers their series, so a scrape before the first request already shows them at 0.
        _ = app.Services.GetRequiredService<InferenceMetrics>();
        _ = app.Services.GetRequiredService<RequestMetrics>();
        _ = app.Services.GetRequiredService<AnsweredRowMetrics>();
        var inference = app.Services.GetRequiredService<InferenceEndpoint>();

        var v2 = app.MapGroup("/v2");
        v2.MapGet("", context => JsonBodies.WriteServerMetadata(context.Response, ServerIdentity.Name, ServerIdentity.Version));
        // Liveness says only that the process answers: it must not depend on the model, or a slow load gets it killed.
        v2.MapGet("/health/live", context => JsonBodies.WriteConstant(context.Response, StatusCodes.Status200OK, """{"live":true}"""u8));
        v2.MapGet("/health/ready", context => readiness.IsReady
            ? JsonBodies.WriteConstant(context.Response, StatusCodes.Status200OK, """{"ready":true}"""u8)
            : JsonBodies.WriteConstant(context.Response, StatusCodes.Status503ServiceUnavailable, """{"ready":false}"""u8));

        foreach (var prefix in (string[])[$"/models/{{{ModelRoute.ModelKey}}}", $"/models/{{{ModelRoute.ModelKey}}}/versions/{{{ModelRoute.VersionKey}}}"])
        {
            var models = v2.MapGroup(prefix);
            models.MapGet("", context =>
            {
                ModelRoute.Resolve(model, context.Request);
                return JsonBodies.WriteModelMetadata(context.Response, model);
            });
            models.MapGet("/ready", context =>
            {
                ModelRoute.Resolve(model, context.Request);
                return JsonBodies.WriteModelReady(context.Response, model.Name, readiness.IsReady);
            });
            models.MapPost("/infer", inference.HandleAsync);
        }

        app.MapMetrics(settings =>
        {
            settings.Registry = registry;
            // Prometheus asks for OpenMetrics first; there counters not named *_total turn into type "unknown".
            // Triton's names have no _total, so every scraper gets the classic text format, as from Triton.
            settings.EnableOpenMetrics = false;
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));

        app.MapFallback(context => ErrorResponses.WriteAsync(context.Response, StatusCodes.Status404NotFound,
            $"No route for {context.Request.Method} {context.Request.Path}; the API is the Open Inference Protocol under /v2."));
    }
}
