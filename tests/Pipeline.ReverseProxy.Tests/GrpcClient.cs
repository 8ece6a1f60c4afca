using System.Net;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>One gRPC answer as a client reads it: HTTP status, grpc-status and grpc-message (trailers, or headers of a trailers-only answer), message.</summary>
public sealed record GrpcAnswer(HttpStatusCode HttpStatus, string? ContentType, int? GrpcStatus, string? GrpcMessage, string Message);

/// <summary>
/// Unary gRPC calls over HTTP/2 with HttpClient (h2c by prior knowledge, or h2 by ALPN over TLS), read the way
/// Grpc.Net.Client reads them: the status from the trailers, else from the headers of a trailers-only answer.
/// </summary>
public sealed class GrpcClient(Uri endpoint, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler())
    {
        BaseAddress = endpoint,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task<GrpcAnswer> CallAsync(string path, CancellationToken cancellationToken = default)
    {
        // An empty message: flag 0, length 0.
        // HTTP/2 only: over plain TCP that is h2c by prior knowledge, as gRPC clients do.
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(new byte[5]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        string? Value(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
            : response.Headers.TryGetValues(name, out var header) ? header.Single() : null;
        var status = Value("grpc-status");
        var message = body.Length >= 5 ? System.Text.Encoding.UTF8.GetString(body, 5, body.Length - 5) : "";
        return new GrpcAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, status is null ? null : int.Parse(status),
            Value("grpc-message") is { } text ? Uri.UnescapeDataString(text) : null, message);
    }

    public void Dispose() => _http.Dispose();
}
