using Pipeline.Processes;
using Pipeline.ReverseProxy;
using Pipeline.Stages;
using TestSupport;

namespace Pipeline.Stages.Tests;

/// <summary>A real haproxy edge (no containers): canary steps and promotion move the REST and gRPC backends of a model together.</summary>
public sealed class EdgeGrpcTrafficTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _state = new();
    private readonly HaproxyEdge _edge;
    private readonly int _port = LoopbackPort.Free();
    private readonly int _grpcPort = LoopbackPort.Free();

    public EdgeGrpcTrafficTests() => _edge = new HaproxyEdge(new ProcessRunner(), new EdgeLayout(_state.Path), _ => { });

    // Nothing listens at these addresses: the test reads what the edge routes, not what answers.
    private static EdgeServer Server(string slot, int weight, int port) =>
        new(slot, port, weight, $"c-{slot}", $"v-{slot}") { GrpcPort = port + 1 };

    [Fact]
    public async Task Canary_steps_and_promotion_give_the_gRPC_backend_the_same_servers_and_weights_as_REST()
    {
        var options = new LocalDeployOptions("mlops-m", _port, "local", "m", null!, "mlops/serving", _state.File("out")) { GrpcListenPort = _grpcPort };
        var stable = Server("blue", BlueGreenSwitch.FullWeight, 20000);
        var canary = Server("green", 0, 20010);
        var started = await _edge.ApplyAsync(LocalEdgePlan.Edge(options, null, null).WithRoute(LocalEdgePlan.Route(options, [stable, canary])), CancellationToken.None);
        var traffic = new EdgeCanaryTraffic(_edge, "m", stable, canary);

        await traffic.SetCanaryPercentAsync(10, CancellationToken.None);
        var split = await WeightsAsync();
        var splitRoute = (await _edge.ReadActiveDescriptionAsync(CancellationToken.None))!.Route("m")!;
        await EdgeCanaryTraffic.ApplyRouteAsync(_edge, "m", [canary with { Weight = BlueGreenSwitch.FullWeight }], CancellationToken.None);
        var promoted = await WeightsAsync();
        var promotedRoute = (await _edge.ReadActiveDescriptionAsync(CancellationToken.None))!.Route("m")!;

        Assert.Equal(EdgeChangeKind.Started, started.Kind);
        // No health checks: a serving slot is "no check", a retired one MAINT.
        Assert.Equal([("blue", 230, "no check"), ("green", 26, "no check")], split.RestServers);
        Assert.Equal(split.RestServers, split.GrpcServers);
        // The retired slot goes to maintenance (at the placeholder address) keeping its last weight: MAINT takes no traffic.
        Assert.Equal([("blue", 230, "MAINT"), ("green", 256, "no check")], promoted.RestServers);
        Assert.Equal(promoted.RestServers, promoted.GrpcServers);
        Assert.Equal((_grpcPort, _grpcPort), (splitRoute.GrpcListenPort, promotedRoute.GrpcListenPort));
        Assert.Contains("use_backend model_m", await File.ReadAllTextAsync(_edge.Layout.ConfigFile));
        Assert.Contains($"bind 127.0.0.1:{_grpcPort} proto h2", await File.ReadAllTextAsync(_edge.Layout.ConfigFile));
    }

    private async Task<(List<(string, int, string)> RestServers, List<(string, int, string)> GrpcServers)> WeightsAsync() => (
        (await _edge.ServerStatsAsync(CancellationToken.None)).Select(s => (s.Slot, s.Weight, s.Status)).Order().ToList(),
        (await _edge.GrpcServerStatsAsync(CancellationToken.None)).Select(s => (s.Slot, s.Weight, s.Status)).Order().ToList());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _edge.StopAsync(CancellationToken.None);
        _state.Dispose();
    }
}
