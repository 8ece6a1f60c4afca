using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// haproxy answering "ok" to everything on a free loopback port, in its own process so the generator's CPU time is
/// measured alone. One thread: the 2-core machine's other core is the generator's.
/// </summary>
sealed class TrivialEndpoint : IDisposable
{
    readonly Process _haproxy;
    readonly string _directory;

    TrivialEndpoint(Process haproxy, string directory, int port)
    {
        _haproxy = haproxy;
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Address { get; }

    public static async Task<TrivialEndpoint> StartAsync()
    {
        var haproxy = File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy"
            : throw new InvalidOperationException("haproxy is missing: run ./build.sh Setup (it installs haproxy) or apt-get install haproxy.");
        var directory = Directory.CreateTempSubdirectory("loadtest-bench-").FullName;
        var port = FreePort();
        File.WriteAllText(Path.Combine(directory, "haproxy.cfg"), $$"""
            global
                nbthread 1
                maxconn 4096
            defaults
                mode http
                timeout client 60s
                timeout http-keep-alive 60s
            frontend ok
                bind 127.0.0.1:{{port}} backlog 4096
                http-request return status 200 content-type text/plain string ok
            """);
        // In the foreground (no -D): the process is the server, killed with it.
        var process = Process.Start(new ProcessStartInfo(haproxy, ["-f", Path.Combine(directory, "haproxy.cfg")])
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
        if (!_haproxy.HasExited)
        {
            _haproxy.Kill(entireProcessTree: true);
            _haproxy.WaitForExit();
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
