using System.Globalization;
using System.Text;

namespace Pipeline.ReverseProxy;

/// <summary>
/// Renders the nginx configuration for a <see cref="ProxyDescription"/>. The description itself goes into the first
/// lines as JSON, so what the running proxy points at can be read back from the file it runs with.
/// </summary>
public static class NginxConfigRenderer
{
    internal const string DescriptionMarker = "# proxy-description: ";

    /// <summary>The access log's fields: end time (s.ms), status, upstream address, request time, method, URI.</summary>
    public const string AccessLogFormat = "$msec $status $upstream_addr $request_time $request_method $uri";

    public static string Render(ProxyDescription description, NginxLayout layout)
    {
        description.ThrowIfInvalid();
        foreach (var path in new[] { layout.StateDirectory })
            if (path.Any(c => c is '"' or ';' or '{' or '}' or '$' || char.IsControl(c)))
                throw new ProxyConfigException($"The state directory '{path}' holds characters nginx cannot take in a path; choose another directory.", null);

        string Q(string path) => "\"" + path + "\"";
        var i = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Written by Pipeline.ReverseProxy for the local serving endpoint; the next deploy replaces it.");
        text.Append(DescriptionMarker).AppendLine(description.ToJson());
        text.AppendLine(i, $$"""
            worker_processes 1;
            pid {{Q(layout.PidFile)}};
            error_log {{Q(layout.ErrorLog)}} warn;

            events {
                worker_connections 1024;
            }

            http {
                log_format timed '{{AccessLogFormat}}';
                access_log {{Q(layout.AccessLog)}} timed;
                client_body_temp_path {{Q(Path.Combine(layout.TempDirectory, "client_body"))}};
                proxy_temp_path {{Q(Path.Combine(layout.TempDirectory, "proxy"))}};
                fastcgi_temp_path {{Q(Path.Combine(layout.TempDirectory, "fastcgi"))}};
                uwsgi_temp_path {{Q(Path.Combine(layout.TempDirectory, "uwsgi"))}};
                scgi_temp_path {{Q(Path.Combine(layout.TempDirectory, "scgi"))}};
                server_tokens off;

                upstream serving {
                    # max_fails=0: one upstream only; never mark it down and answer 502 for a while after a blip.
                    server {{description.UpstreamHost}}:{{description.UpstreamPort}} max_fails=0;
                    keepalive {{description.KeepaliveConnections}};
                    keepalive_timeout 60s;
                }

                server {
                    listen 127.0.0.1:{{description.ListenPort}};
                    # 0 by default: a reload resets idle keep-alive connections, losing a request sent on one (see ProxyDescription).
                    keepalive_timeout {{(int)description.ClientKeepaliveTimeout.TotalSeconds}}s;
                    # The server's own limit: larger bodies get nginx's 413 before they cost the upstream anything.
                    client_max_body_size {{description.MaxBodyBytes}};
                    # Stream bodies to the upstream instead of spooling them to disk first.
                    proxy_request_buffering off;
                    proxy_max_temp_file_size 0;

                    location / {
                        proxy_pass http://serving;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        # An inference POST is not idempotent: never send it twice.
                        proxy_next_upstream off;
                        proxy_connect_timeout 5s;
                        proxy_read_timeout {{(int)description.ReadTimeout.TotalSeconds}}s;
                        proxy_send_timeout {{(int)description.ReadTimeout.TotalSeconds}}s;
                    }
                }
            }
            """);
        return text.ToString();
    }

    /// <summary>The description a rendered configuration was made from, or null when the text holds none.</summary>
    public static ProxyDescription? ReadDescription(string configText)
    {
        foreach (var line in configText.Split('\n'))
            if (line.StartsWith(DescriptionMarker, StringComparison.Ordinal))
                return ProxyDescription.FromJson(line[DescriptionMarker.Length..].Trim());
        return null;
    }
}
