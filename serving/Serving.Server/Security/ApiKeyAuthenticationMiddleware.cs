using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Serving.Server.Metrics;

namespace Serving.Server.Security;

/// <summary>
/// Lets open endpoints through and asks every other request, REST or gRPC, for a configured API key. Missing and
/// wrong keys get the same answer, so a caller learns nothing about which keys exist.
/// </summary>
internal sealed class ApiKeyAuthenticationMiddleware(
    RequestDelegate next, ApiKeyStore store, AuthenticationMetrics metrics, RequestMetrics requests, ILogger<ApiKeyAuthenticationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (OpenEndpoints.IsOpen(context))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        if (PresentedCredentials.Authenticate(context.Request, store) is { } keyId)
        {
            metrics.Authenticated(keyId);
            await next(context);
            return;
        }

        metrics.Unauthenticated();
        // Debug only, and never a header value: the log must not become a list of guessed (or leaked) secrets.
        logger.LogDebug("{Method} {Path} refused: no valid API key", context.Request.Method, context.Request.Path);
        await UnauthenticatedResponse.WriteAsync(context);
        // The infer request counter covers every outcome, refusals included, so error ratios see them.
        if (OpenEndpoints.IsInference(context)) requests.Observe(StatusCodes.Status401Unauthorized, Stopwatch.GetElapsedTime(started));
    }
}
