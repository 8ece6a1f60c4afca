using Microsoft.AspNetCore.Http;

namespace Serving.Server.Http;

/// <summary>
/// Turns every failure escaping an endpoint into an error response via <see cref="ErrorResponses"/>.
/// Client mistakes are logged at debug level without request content; server faults at error level.
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e)
        {
            var (status, message, isServerFault) = ErrorResponses.Map(e);
            if (isServerFault) logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            else logger.LogDebug("{Method} {Path} refused with {Status}: {Message}", context.Request.Method, context.Request.Path, status, message);

            if (context.Response.HasStarted)
            {
                // Part of a response is already out; the only honest signal left is a broken connection.
                context.Abort();
                return;
            }

            await ErrorResponses.WriteAsync(context.Response, status, message);
        }
    }
}
