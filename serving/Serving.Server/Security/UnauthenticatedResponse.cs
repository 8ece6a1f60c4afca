using System.Text;
using Microsoft.AspNetCore.Http;
using Serving.Server.Http;

namespace Serving.Server.Security;

/// <summary>The one answer to a missing or wrong API key: REST 401 with a Bearer challenge, or gRPC UNAUTHENTICATED.</summary>
internal static class UnauthenticatedResponse
{
    public const string Message = "A valid API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.";
    public const string Challenge = "Bearer realm=\"mlops-serving\"";
    public const int GrpcUnauthenticated = 16;

    public static Task WriteAsync(HttpContext context)
    {
        if (OpenEndpoints.IsGrpc(context.Request))
        {
            // A gRPC "trailers-only" response: HTTP 200 and the status in the headers, no body. Any gRPC client reads it
            // as UNAUTHENTICATED, and this needs nothing from the gRPC service code.
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = GrpcUnauthenticated.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = PercentEncode(Message);
            return Task.CompletedTask;
        }

        // ErrorResponses adds the WWW-Authenticate challenge to every 401.
        return ErrorResponses.WriteAsync(context.Response, StatusCodes.Status401Unauthorized, Message);
    }

    /// <summary>gRPC's percent-encoding of grpc-message: UTF-8, with '%' and bytes outside 0x20-0x7E as %XX.</summary>
    public static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is < 0x20 or > 0x7E or (byte)'%') text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else text.Append((char)b);
        }

        return text.ToString();
    }
}
