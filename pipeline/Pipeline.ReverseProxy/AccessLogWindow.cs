using System.Globalization;

namespace Pipeline.ReverseProxy;

/// <summary>What the proxy served in a stretch of its access log: requests per upstream, and how many failed.</summary>
public sealed record AccessLogWindow(long Requests, long Failed, IReadOnlyDictionary<string, long> ByUpstream)
{
    /// <summary>Reads the access log lines written after <paramref name="offset"/> (see <see cref="NginxConfigRenderer.AccessLogFormat"/>).</summary>
    public static async Task<AccessLogWindow> ReadAsync(string accessLog, long offset, CancellationToken cancellationToken)
    {
        long requests = 0, failed = 0;
        var byUpstream = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!File.Exists(accessLog)) return new AccessLogWindow(0, 0, byUpstream);
        await using var stream = new FileStream(accessLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var fields = line.Split(' ');
            if (fields.Length < 3) continue;
            requests++;
            // nginx's own failures (502, 504) and the server's 5xx; 4xx are the client's.
            if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status >= 500) failed++;
            byUpstream[fields[2]] = byUpstream.GetValueOrDefault(fields[2]) + 1;
        }
        return new AccessLogWindow(requests, failed, byUpstream);
    }
}
