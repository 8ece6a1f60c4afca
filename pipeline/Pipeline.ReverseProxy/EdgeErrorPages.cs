using System.Globalization;
using System.Text;
using Pipeline.IO;

namespace Pipeline.ReverseProxy;

/// <summary>
/// The answers haproxy itself gives (errorfile), as Open Inference Protocol errors: <c>{"error":"..."}</c> with
/// content-type application/json, so a client sees the same shape whether the edge or the server refused.
/// </summary>
public static class EdgeErrorPages
{
    public static readonly IReadOnlyDictionary<int, (string Reason, string Error)> Pages = new Dictionary<int, (string, string)>
    {
        // Requests haproxy's HTTP/1 parser refuses outright get its own plain 400: only rule-made answers use these pages.
        [400] = ("Bad Request", "the edge could not parse the request"),
        [403] = ("Forbidden", "the edge refused the request"),
        [408] = ("Request Timeout", "the request was not received in time"),
        [413] = ("Payload Too Large", "the request body is larger than the edge accepts ({0} bytes)"),
        [500] = ("Internal Server Error", "the edge failed while handling the request"),
        [502] = ("Bad Gateway", "the model server closed the connection or sent an invalid answer"),
        [503] = ("Service Unavailable", "no model server is available for this request"),
        [504] = ("Gateway Timeout", "the model server did not answer within {1} s"),
    };

    public static async Task WriteAsync(EdgeLayout layout, EdgeDescription description, CancellationToken cancellationToken)
    {
        foreach (var (status, (reason, error)) in Pages)
        {
            var json = "{\"error\":\"" + string.Format(CultureInfo.InvariantCulture, error, description.MaxBodyBytes, (int)description.ReadTimeout.TotalSeconds) + "\"}";
            var text = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\n" +
                       $"Cache-Control: no-cache\r\n\r\n{json}";
            var path = layout.ErrorFile(status);
            // Unchanged pages stay untouched: haproxy reads them at each (re)load only.
            if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == text) continue;
            await AtomicFile.WriteAllTextAsync(path, text, cancellationToken);
        }
    }
}
