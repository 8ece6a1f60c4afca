using Pipeline.Processes;
using TestSupport;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>A real haproxy edge of the test's own (state directory, free port) in front of real Kestrel upstreams blue and green.</summary>
public sealed class EdgeHarness : IAsyncLifetime
{
    private readonly TemporaryDirectory _state = new();

    public List<string> Log { get; } = [];
    public HaproxyEdge Edge { get; private set; } = null!;
    public EdgeLayout Layout => new(_state.Path);
    public TestUpstream Blue { get; private set; } = null!;
    public TestUpstream Green { get; private set; } = null!;
    public int Port { get; } = TestUpstream.FreePort();

    public async Task InitializeAsync()
    {
        Edge = new HaproxyEdge(new ProcessRunner(), Layout, line => { lock (Log) Log.Add(line); });
        Blue = await TestUpstream.StartAsync("blue");
        Green = await TestUpstream.StartAsync("green");
    }

    public async Task DisposeAsync()
    {
        await Edge.StopAsync(CancellationToken.None);
        await Blue.DisposeAsync();
        await Green.DisposeAsync();
        _state.Dispose();
    }

    /// <summary>Model <paramref name="model"/> served by the given (upstream, weight) pairs in the blue and green slots, in that order.</summary>
    public static EdgeRoute Route(string model, params (TestUpstream Upstream, int Weight)[] servers) =>
        new(model, servers.Select((s, i) => new EdgeServer(EdgeDescription.Slots[i], s.Upstream.Port, s.Weight, s.Upstream.Name, $"v-{s.Upstream.Name}")).ToList());

    /// <summary>Like <see cref="Route"/>, with the model's gRPC endpoint on <paramref name="grpcListenPort"/> to each upstream's h2c port.</summary>
    public static EdgeRoute GrpcRoute(string model, int grpcListenPort, params (TestUpstream Upstream, int Weight)[] servers) =>
        new(model, servers.Select((s, i) => Server(EdgeDescription.Slots[i], s.Upstream, s.Weight) with { GrpcPort = s.Upstream.GrpcPort }).ToList())
        {
            GrpcListenPort = grpcListenPort,
        };

    public static EdgeServer Server(string slot, TestUpstream upstream, int weight) => new(slot, upstream.Port, weight, upstream.Name, $"v-{upstream.Name}");

    public EdgeDescription Description(params EdgeRoute[] routes) => new(Port, routes) { MaxBodyBytes = 1024 };

    /// <summary>The current worker's pid, from the runtime API: unchanged by runtime changes, new after a reload.</summary>
    public async Task<int> WorkerPidAsync()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(Layout.AdminSocket));
        await socket.SendAsync("show info\n"u8.ToArray());
        using var stream = new System.Net.Sockets.NetworkStream(socket);
        var text = await new StreamReader(stream).ReadToEndAsync();
        return int.Parse(text.Split('\n').Single(l => l.StartsWith("Pid:", StringComparison.Ordinal))[4..].Trim());
    }
}
