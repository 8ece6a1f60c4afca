using System.Globalization;
using System.Text;
using Pipeline.IO;

namespace Pipeline.ReverseProxy;

/// <summary>
/// The answers haproxy itself gives (errorfile), as Open Inference Protocol errors: <c>{"error":"..."}</c> with
/// content-type application/json, so a client sees the same shape whether the edge or the server refused; and on the
/// gRPC frontends as gRPC statuses, so a gRPC client gets a status instead of an HTTP error it cannot read.
/// </summary>
public static class EdgeErrorPages
{
    /// <summary>
    /// Every status haproxy 2.6 takes an errorfile for except 200 (monitor-uri's success, which the edge does not use).
    /// haproxy 2.6's HTTP/1 layer answers a request it cannot parse at all (and a connection that never sends a whole
    /// request) with its built-in text page before any proxy's errorfile applies: only an empty errorfile changes that
    /// (it closes the connection silently). Errors met once a request is parsed — its body, rules, servers — use these.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, (string Reason, string Error)> Pages = new Dictionary<int, (string, string)>
    {
        [400] = ("Bad Request", "the edge could not parse the request"),
        [401] = ("Unauthorized", "the edge requires authentication for this request"),
        [403] = ("Forbidden", "the edge refused the request"),
        [404] = ("Not Found", "the edge has no route for this request"),
        [405] = ("Method Not Allowed", "the edge does not allow this method here"),
        [407] = ("Proxy Authentication Required", "the edge requires proxy authentication"),
        [408] = ("Request Timeout", "the request was not received in time"),
        [410] = ("Gone", "this resource is no longer served by the edge"),
        [413] = ("Payload Too Large", "the request body is larger than the edge accepts ({0} bytes)"),
        [425] = ("Too Early", "the edge refused a TLS early-data request; send it again after the handshake"),
        [429] = ("Too Many Requests", "the edge is receiving too many requests; retry later"),
        [500] = ("Internal Server Error", "the edge failed while handling the request"),
        [501] = ("Not Implemented", "the edge does not implement what the request asks for"),
        [502] = ("Bad Gateway", "the model server closed the connection or sent an invalid answer"),
        [503] = ("Service Unavailable", "no model server is available for this request"),
        [504] = ("Gateway Timeout", "the model server did not answer within {1} s"),
    };

    /// <summary>
    /// The gRPC status each edge error becomes (the gRPC HTTP-to-status mapping, with UNAVAILABLE for everything a retry
    /// may cure and RESOURCE_EXHAUSTED for a body over the limit, as the server's own answer).
    /// </summary>
    public static readonly IReadOnlyDictionary<int, int> GrpcStatus = new Dictionary<int, int>
    {
        [400] = 13, // INTERNAL: the HTTP/2 framing, not the message, was wrong
        [401] = 16, // UNAUTHENTICATED
        [403] = 7, // PERMISSION_DENIED
        [404] = 12, // UNIMPLEMENTED
        [405] = 12,
        [407] = 16,
        [408] = 4, // DEADLINE_EXCEEDED
        [410] = 12,
        [413] = 8, // RESOURCE_EXHAUSTED
        [425] = 14, // UNAVAILABLE
        [429] = 14,
        [500] = 13,
        [501] = 12,
        [502] = 14,
        [503] = 14,
        [504] = 14,
    };

    public static async Task WriteAsync(EdgeLayout layout, EdgeDescription description, CancellationToken cancellationToken)
    {
        foreach (var (status, (reason, error)) in Pages)
        {
            var message = string.Format(CultureInfo.InvariantCulture, error, description.MaxBodyBytes, (int)description.ReadTimeout.TotalSeconds);
            await WriteIfChangedAsync(layout.ErrorFile(status), RestPage(status, reason, message), cancellationToken);
            await WriteIfChangedAsync(layout.GrpcErrorFile(status), GrpcPage(GrpcStatus[status], message), cancellationToken);
        }
    }

    private static string RestPage(int status, string reason, string message)
    {
        var json = "{\"error\":\"" + message + "\"}";
        return $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\n" +
               $"Cache-Control: no-cache\r\n\r\n{json}";
    }

    /// <summary>
    /// A trailers-only gRPC answer: HTTP 200 whose headers carry grpc-status and grpc-message and no body (haproxy sends
    /// it as one HEADERS frame ending the stream). A gRPC client reads an HTTP 503 as a protocol error, not as UNAVAILABLE.
    /// </summary>
    private static string GrpcPage(int grpcStatus, string message) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/grpc\r\ngrpc-status: {grpcStatus}\r\ngrpc-message: {GrpcMessage(message)}\r\n" +
        "Content-Length: 0\r\nCache-Control: no-cache\r\n\r\n";

    /// <summary>grpc-message is percent-encoded: printable ASCII stays as it is except '%'.</summary>
    private static string GrpcMessage(string message)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(message))
            text.Append(b is >= 0x20 and <= 0x7E && b != '%' ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"%{b:X2}"));
        return text.ToString();
    }

    private static async Task WriteIfChangedAsync(string path, string text, CancellationToken cancellationToken)
    {
        // Unchanged pages stay untouched: haproxy reads them at each (re)load only.
        if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == text) return;
        await AtomicFile.WriteAllTextAsync(path, text, cancellationToken);
    }
}
