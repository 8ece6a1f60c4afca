using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Docker.Tests;

/// <summary>
/// A real registry (Debian's docker-registry, the CNCF distribution server) on 127.0.0.1 and a free port, with
/// htpasswd (bcrypt) authentication. The engine treats 127.0.0.0/8 registries as plain-HTTP without configuration.
/// </summary>
public sealed class LocalRegistry : IAsyncLifetime
{
    public const string Username = "ci-pusher";

    private readonly TemporaryDirectory work = new();
    private Process? server;
    private readonly StringBuilder serverOutput = new();

    /// <summary>A fresh random password per run, so a test can prove it never leaks.</summary>
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N");

    public int Port { get; private set; }

    public string Address => $"127.0.0.1:{Port}";

    public RegistryCredentials Credentials => new(Username, Password, Address);

    public async Task InitializeAsync()
    {
        var registry = Require("docker-registry", "docker-registry");
        var htpasswd = Require("htpasswd", "apache2-utils");
        var hash = await new ProcessRunner().RunAsync(new ProcessSpec(htpasswd, "-nbB", Username, Password), CancellationToken.None);
        if (!hash.Succeeded)
        {
            throw new InvalidOperationException($"htpasswd failed: {hash.ErrorTail()}");
        }

        await File.WriteAllTextAsync(work.File("htpasswd"), hash.StandardOutput.Trim() + "\n");
        Port = FreePort();
        await File.WriteAllTextAsync(work.File("config.yml"), $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {work.File("data")}
            http:
              addr: {Address}
              secret: test-only-{Guid.NewGuid():N}
            auth:
              htpasswd:
                realm: mlops-test
                path: {work.File("htpasswd")}
            """);

        var start = new ProcessStartInfo(registry, ["serve", work.File("config.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        server = Process.Start(start) ?? throw new InvalidOperationException($"{registry} did not start");
        server.OutputDataReceived += (_, line) => Append(line.Data);
        server.ErrorDataReceived += (_, line) => Append(line.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>GET on the registry API with the test user's basic authentication.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? accept = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Address}{path}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        if (server is { HasExited: false })
        {
            server.Kill();
            await server.WaitForExitAsync();
        }

        server?.Dispose();
        work.Dispose();
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !server!.HasExited)
        {
            try
            {
                using var response = await http.GetAsync($"http://{Address}/v2/");
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The registry did not answer on {Address} (exited: {server!.HasExited}): {Output()}");
    }

    private static string Require(string program, string package) =>
        ExecutableSearch.Find(program, Environment.GetEnvironmentVariable)
        ?? throw new InvalidOperationException($"{program} is not installed: run ./build.sh Setup, or apt-get install {package}");

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        lock (serverOutput)
        {
            serverOutput.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (serverOutput)
        {
            return serverOutput.ToString();
        }
    }
}
