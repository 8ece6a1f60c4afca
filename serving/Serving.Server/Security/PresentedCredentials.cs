using Microsoft.AspNetCore.Http;

namespace Serving.Server.Security;

/// <summary>
/// The secrets a request presents: <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>. gRPC metadata
/// travels as the same HTTP/2 headers, so one reader serves both protocols.
/// </summary>
internal static class PresentedCredentials
{
    public const string ApiKeyHeader = "X-API-Key";
    private const string BearerPrefix = "Bearer ";

    /// <returns>The id of the first key presented that the store accepts, or null.</returns>
    public static string? Authenticate(HttpRequest request, ApiKeyStore store)
    {
        foreach (var value in request.Headers.Authorization)
        {
            // The scheme name is case-insensitive (RFC 9110); anything but Bearer is not ours to judge.
            if (value is not null && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
                && store.Authenticate(value[BearerPrefix.Length..].Trim()) is { } id)
                return id;
        }

        foreach (var value in request.Headers[ApiKeyHeader])
        {
            if (value is not null && store.Authenticate(value.Trim()) is { } id) return id;
        }

        return null;
    }
}
