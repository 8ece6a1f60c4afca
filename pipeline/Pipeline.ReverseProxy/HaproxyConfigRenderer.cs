using System.Globalization;
using System.Text;

namespace Pipeline.ReverseProxy;

/// <summary>
/// Renders haproxy's configuration for an <see cref="EdgeDescription"/>: one frontend on loopback, one backend per
/// model with the blue and green server slots, JSON error pages, keep-alive on both sides and no retried POSTs; per
/// model with a gRPC port, an HTTP/2 frontend and backend over the same slots with gRPC-shaped error answers.
/// </summary>
public static class HaproxyConfigRenderer
{
    /// <summary>Where a slot that is not in use points while it waits in maintenance; nothing listens on port 1.</summary>
    public const int PlaceholderPort = 1;

    /// <summary>
    /// One thread: the edge shares the machine's cores with the serving containers, and one haproxy thread forwards
    /// far more small requests a second than a model server answers (see the Serving.Benchmarks through-edge row).
    /// </summary>
    public const int Threads = 1;

    public static string Render(EdgeDescription description, EdgeLayout layout)
    {
        description.ThrowIfInvalid();
        var layoutProblems = layout.Problems();
        if (layoutProblems.Count > 0) throw new EdgeConfigException("The edge state directory is not usable: " + string.Join(" ", layoutProblems), null);

        static string Q(string path) => "\"" + path + "\"";
        var i = CultureInfo.InvariantCulture;
        var readSeconds = (long)Math.Ceiling(description.ReadTimeout.TotalSeconds);
        var max = description.MaxBodyBytes;
        var text = new StringBuilder();
        text.AppendLine("# Written by Pipeline.ReverseProxy from edge.json beside it; the next change replaces it.");
        text.AppendLine(i, $$"""
            global
                master-worker
                pidfile {{Q(layout.PidFile)}}
                # expose-fd listeners: a reloaded worker takes the listening socket over, so no connection is refused during a reload.
                stats socket {{Q(layout.AdminSocket)}} mode 600 level admin expose-fd listeners
                stats timeout 30s
                nbthread {{Threads}}
                # An old worker keeps its idle client connections until they send one more request (idle-close-on-response),
                # and requests in flight until they are answered; after this it stops anyway.
                hard-stop-after {{readSeconds + 10}}s

            defaults
                mode http
                # Keep-alive on both sides: clients keep their connection across switches, servers' connections are reused.
                option http-keep-alive
                http-reuse safe
                # An inference POST is not idempotent: never send it twice, nor to another server.
                retries 0
                no option redispatch
                # On a reload, idle client connections are not closed under the client: the next answer says Connection: close.
                option idle-close-on-response
                timeout connect 5s
                timeout client {{readSeconds}}s
                timeout server {{readSeconds}}s
                timeout http-request 10s
                timeout http-keep-alive 60s
                timeout queue 5s
            """);
        foreach (var status in EdgeErrorPages.Pages.Keys.Order())
            text.AppendLine(i, $"    errorfile {status} {Q(layout.ErrorFile(status))}");
        if (description.Routes.Any(r => r.GrpcListenPort is not null))
        {
            text.AppendLine();
            text.AppendLine(GrpcErrorsSection);
            foreach (var status in EdgeErrorPages.Pages.Keys.Order())
                text.AppendLine(i, $"    errorfile {status} {Q(layout.GrpcErrorFile(status))}");
        }
        var tls = description.TlsCertificateFile is { } pem ? $" ssl crt {Q(pem)}" : "";
        text.AppendLine(i, $$"""

            frontend edge
                bind 127.0.0.1:{{description.ListenPort}}{{tls}}
                # The edge's own metrics (requests, 5xx, sessions per frontend, backend and server) for Prometheus.
                http-request use-service prometheus-exporter if { path /metrics }
                # Bodies declared over the limit get 413 before they cost a server anything. Chunked bodies stream through
                # with haproxy's default 16 kB buffers (sizing buffers to hold a whole body to measure it cost half the
                # edge's throughput) and meet the serving server's own limit, which answers the same JSON 413.
                http-request deny deny_status 413 if { req.hdr_val(content-length) gt {{max}} }
            """);
        foreach (var route in description.Routes)
            text.AppendLine(i, $"    use_backend {route.BackendName} if {{ path /v2/models/{route.Model} }} || {{ path_beg /v2/models/{route.Model}/ }}");
        text.AppendLine(i, $"    default_backend {description.Routes[0].BackendName}");
        foreach (var route in description.Routes)
        {
            text.AppendLine();
            text.AppendLine(i, $"backend {route.BackendName}");
            text.AppendLine("    balance roundrobin");
            foreach (var slot in EdgeDescription.Slots)
                text.AppendLine(route.Server(slot) is { } server
                    ? string.Create(i, $"    server {slot} {server.Host}:{server.Port} weight {server.Weight}")
                    : string.Create(i, $"    server {slot} {EdgeServer.Loopback}:{PlaceholderPort} weight 0 disabled"));
        }
        foreach (var route in description.Routes.Where(r => r.GrpcListenPort is not null)) RenderGrpc(text, route, tls, max);
        return text.ToString();
    }

    private const string GrpcErrorsSection = "http-errors grpc_errors";

    /// <summary>
    /// The model's gRPC endpoint: h2c (or h2 over TLS) on its own port to the same slots, at their gRPC ports, with the
    /// same weights, so both endpoints always serve the same version. The error pages are set on the backend too: an
    /// error met there (no server, timeout) takes the backend's pages before the frontend's.
    /// </summary>
    private static void RenderGrpc(StringBuilder text, EdgeRoute route, string tls, long maxBodyBytes)
    {
        var i = CultureInfo.InvariantCulture;
        var alpn = tls.Length > 0 ? " alpn h2" : "";
        text.AppendLine();
        text.AppendLine(i, $$"""
            frontend {{route.GrpcBackendName}}
                bind 127.0.0.1:{{route.GrpcListenPort}}{{tls}}{{alpn}} proto h2
                errorfiles grpc_errors
                # Wait for the (unary) request message before connecting: an error answered while the client still sends
                # ends with RST_STREAM CANCEL, which .NET's and other gRPC clients take for a broken call, not a status.
                option http-buffer-request
                http-request deny deny_status 413 if { req.hdr_val(content-length) gt {{maxBodyBytes}} }
                default_backend {{route.GrpcBackendName}}

            backend {{route.GrpcBackendName}}
                errorfiles grpc_errors
                balance roundrobin
            """);
        if (tls.Length > 0)
        {
            // h2 forwards the client's :scheme; Kestrel resets a stream whose :scheme (https) is not its own transport's (h2c).
            text.AppendLine("    http-request set-uri http://%[req.hdr(host)]%[pathq]");
        }
        foreach (var slot in EdgeDescription.Slots)
            text.AppendLine(route.Server(slot) is { } server
                ? string.Create(i, $"    server {slot} {server.Host}:{server.GrpcPort} weight {server.Weight} proto h2")
                : string.Create(i, $"    server {slot} {EdgeServer.Loopback}:{PlaceholderPort} weight 0 disabled proto h2"));
    }
}
