using System.Net.Sockets;

namespace Pipeline.Prerequisites.Tests;

public sealed class DockerEnginePingTests : IDisposable
{
    private readonly TempDirectory work = new();

    public void Dispose() => work.Dispose();

    private string SocketPath => work.File("docker.sock");

    [Fact]
    public async Task Engine_answering_ping_is_reachable_with_its_versions()
    {
        await using var server = TinyUnixHttpServer.Docker(SocketPath, "24.0.7", "1.43");

        var status = await new DockerEnginePing(DockerEndpoint.Unix(SocketPath)).PingAsync(CancellationToken.None);

        Assert.Equal(new DockerEngineStatus(true, "24.0.7", "1.43", null), status);
        Assert.Equal(["/_ping", "/version"], server.RequestedPaths);
    }

    [Fact]
    public async Task Missing_socket_is_unreachable_and_named()
    {
        var status = await new DockerEnginePing(DockerEndpoint.Unix(SocketPath)).PingAsync(CancellationToken.None);

        Assert.False(status.IsReachable);
        Assert.Equal($"{SocketPath} does not exist", status.Problem);
    }

    [Fact]
    public async Task Stale_socket_file_without_a_listener_is_unreachable()
    {
        // What a crashed engine leaves behind. .NET removes the files of sockets it closes, so a short
        // Python process binds it and exits.
        var bind = await new ProcessRunner().RunAsync(
            new ProcessSpec("/usr/bin/python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", SocketPath),
            CancellationToken.None);
        Assert.True(bind.Succeeded && File.Exists(SocketPath), $"could not leave a stale socket: {bind.StandardError}");

        var status = await new DockerEnginePing(DockerEndpoint.Unix(SocketPath)).PingAsync(CancellationToken.None);

        Assert.False(status.IsReachable);
        Assert.StartsWith($"unix://{SocketPath} does not answer: ", status.Problem);
        Assert.Contains("refused", status.Problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Engine_answering_an_error_is_not_reachable()
    {
        await using var server = new TinyUnixHttpServer(SocketPath, _ => (500, "starting up"));

        var status = await new DockerEnginePing(DockerEndpoint.Unix(SocketPath)).PingAsync(CancellationToken.None);

        Assert.False(status.IsReachable);
        Assert.Equal($"GET /_ping on unix://{SocketPath} answered 500 \"starting up\", expected 200 \"OK\"", status.Problem);
    }

    [Fact]
    public async Task Odd_version_answer_still_counts_as_reachable_and_is_reported()
    {
        await using var server = new TinyUnixHttpServer(SocketPath, path => path == "/_ping" ? (200, "OK") : (200, "not json"));

        var status = await new DockerEnginePing(DockerEndpoint.Unix(SocketPath)).PingAsync(CancellationToken.None);

        Assert.True(status.IsReachable);
        Assert.Null(status.Version);
        Assert.StartsWith("GET /version answered invalid JSON", status.Problem);
    }

    [Fact]
    public async Task Silent_listener_times_out_as_unreachable()
    {
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Bind(new UnixDomainSocketEndPoint(SocketPath));
        silent.Listen(1);

        var status = await new DockerEnginePing(DockerEndpoint.Unix(SocketPath), TimeSpan.FromMilliseconds(300)).PingAsync(CancellationToken.None);

        Assert.False(status.IsReachable);
        Assert.Equal($"unix://{SocketPath} does not answer: no answer within 0.3 s", status.Problem);
    }
}
