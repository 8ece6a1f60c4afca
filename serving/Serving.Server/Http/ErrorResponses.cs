using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serving.Server.Http;

/// <summary>The one place where failures become HTTP statuses and <c>{"error": "..."}</c> bodies.</summary>
internal static class ErrorResponses
{
    public const string InternalErrorMessage = "Internal server error; the server log has the details.";

    /// <returns>The status and message for a failure; <c>IsServerFault</c> says whether it deserves an error log.</returns>
    public static (int Status, string Message, bool IsServerFault) Map(Exception exception) => exception switch
    {
        ServingException e => (StatusOf(e.Kind), e.Message, false),
        // Kestrel's own refusals: a body over MaxRequestBodySize, a malformed chunk, a client too slow to send.
        BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            (e.StatusCode, "The request body exceeds this server's size limit; send fewer rows per request.", false),
        BadHttpRequestException e => (e.StatusCode, e.Message, false),
        JsonException e => (StatusCodes.Status400BadRequest, "The request body is not valid JSON: " + e.Message, false),
        _ => (StatusCodes.Status500InternalServerError, InternalErrorMessage, true),
    };

    public static int StatusOf(ServingErrorKind kind) => kind switch
    {
        ServingErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        ServingErrorKind.NotFound => StatusCodes.Status404NotFound,
        ServingErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ServingErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The 404 for a path nothing serves (on this port).</summary>
    public static string NoRouteMessage(HttpRequest request) =>
        $"No route for {request.Method} {request.Path}; the API is the Open Inference Protocol under /v2.";

    public static async Task WriteAsync(HttpResponse response, int status, string message)
    {
        response.Clear();
        response.StatusCode = status;
        // Overload and warm-up are brief: tell well-behaved clients to come back shortly rather than at once.
        if (status == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = "1";
        // RFC 9110: a 401 names the scheme that would work.
        if (status == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = Security.UnauthenticatedResponse.Challenge;
        response.ContentType = JsonBodies.ContentType;
        using var body = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(body, JsonBodies.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, message);
            writer.WriteEndObject();
        }

        await body.CopyToAsync(response);
    }
}
