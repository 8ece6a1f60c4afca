using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// nginx answering "ok" to everything on a free loopback port, in its own process so the generator's CPU time is
/// measured alone. One worker: the 2-core machine's other core is the generator's.
/// </summary>
sealed class TrivialEndpoint : IDisposable
{
    readonly Process _nginx;
    readonly string _directory;

    TrivialEndpoint(Process nginx, string directory, int port)
    {
        _nginx = nginx;
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Address { get; }

    public static async Task<TrivialEndpoint> StartAsync()
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
            : throw new InvalidOperationException("nginx is missing: run ./build.sh Setup (it installs nginx) or apt-get install nginx.");
        var directory = Directory.CreateTempSubdirectory("loadtest-bench-").FullName;
        var port = FreePort();
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
            worker_processes 1;
            daemon off;
            user root;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                keepalive_requests 1000000;
                server {
                    listen 127.0.0.1:{{port}} backlog=4096;
                    location / { return 200 "ok"; }
                }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(nginx, ["-p", directory, "-c", Path.Combine(directory, "nginx.conf")])
        {
            RedirectStandardError = true,
        })!;
        var endpoint = new TrivialEndpoint(process, directory, port);
        using var client = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.GetStringAsync(endpoint.Address);
                return endpoint;
            }
            catch (HttpRequestException) when (attempt < 50 && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        if (!_nginx.HasExited)
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit();
        }
        Directory.Delete(_directory, recursive: true);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
