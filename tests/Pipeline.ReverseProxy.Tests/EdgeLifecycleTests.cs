using System.Net;
using Pipeline.Processes;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>The real haproxy started under a state directory of its own, changed at run time, reloaded, found again and stopped.</summary>
public sealed class EdgeLifecycleTests : IAsyncLifetime
{
    private readonly EdgeHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task First_apply_starts_haproxy_and_a_new_object_finds_it_from_the_pid_file_and_stops_it()
    {
        var description = _h.Description(EdgeHarness.Route("m", (_h.Blue, 256)));
        var change = await _h.Edge.ApplyAsync(description, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };

        Assert.Equal(EdgeChangeKind.Started, change.Kind);
        Assert.True(change.AppliedTimestamp >= change.RequestedTimestamp);
        Assert.Equal("blue", await http.GetStringAsync("/"));
        var again = new HaproxyEdge(new ProcessRunner(), _h.Layout, _ => { });
        Assert.NotNull(again.RunningMasterPid());
        Assert.Equal(_h.Edge.RunningMasterPid(), again.RunningMasterPid());
        Assert.Equal(description, await again.ReadActiveDescriptionAsync(CancellationToken.None));
        Assert.Equal(EdgeChangeKind.Unchanged, (await again.ApplyAsync(description, CancellationToken.None)).Kind);

        await again.StopAsync(CancellationToken.None);
        Assert.Null(_h.Edge.RunningMasterPid());
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/"));
    }

    [Fact]
    public async Task A_stale_pid_file_naming_another_process_is_not_taken_for_haproxy()
    {
        _h.Layout.Create();
        await File.WriteAllTextAsync(_h.Layout.PidFile, Environment.ProcessId.ToString());

        Assert.Null(_h.Edge.RunningMasterPid());
        var change = await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.Route("m", (_h.Blue, 256))), CancellationToken.None);
        Assert.Equal(EdgeChangeKind.Started, change.Kind);
    }

    [Fact]
    public async Task Changing_servers_uses_the_runtime_API_and_adding_a_route_reloads_keeping_the_runtime_state()
    {
        await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.Route("m", (_h.Blue, 256))), CancellationToken.None);
        var worker = await _h.WorkerPidAsync();
        var config = await File.ReadAllTextAsync(_h.Layout.ConfigFile);

        var toGreen = _h.Description(new EdgeRoute("m", [EdgeHarness.Server("green", _h.Green, 256)]));
        var runtime = await _h.Edge.ApplyAsync(toGreen, CancellationToken.None);

        Assert.Equal(EdgeChangeKind.Runtime, runtime.Kind);
        Assert.Equal(worker, await _h.WorkerPidAsync());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
        Assert.Equal("green", await http.GetStringAsync("/"));
        // The files follow the runtime, so any later reload renders what runs.
        Assert.Equal(toGreen, await _h.Edge.ReadActiveDescriptionAsync(CancellationToken.None));
        Assert.NotEqual(config, await File.ReadAllTextAsync(_h.Layout.ConfigFile));

        var twoModels = toGreen.WithRoute(EdgeHarness.Route("other", (_h.Blue, 256)));
        var reload = await _h.Edge.ApplyAsync(twoModels, CancellationToken.None);

        Assert.Equal(EdgeChangeKind.Reloaded, reload.Kind);
        Assert.NotEqual(worker, await _h.WorkerPidAsync());
        Assert.Equal("green m", await http.GetStringAsync("/v2/models/m"));
        Assert.Equal("blue other", await http.GetStringAsync("/v2/models/other"));
        var stats = await _h.Edge.ServerStatsAsync(CancellationToken.None);
        Assert.Equal(["m/blue MAINT 0", "m/green no check 256", "other/blue no check 256", "other/green MAINT 0"],
            stats.Select(s => $"{s.Model}/{s.Slot} {s.Status} {s.Weight}").Order());
    }

    [Fact]
    public async Task A_refused_reload_leaves_the_running_edge_and_its_files_in_place()
    {
        var description = _h.Description(EdgeHarness.Route("m", (_h.Blue, 256)));
        await _h.Edge.ApplyAsync(description, CancellationToken.None);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busyPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        // haproxy -c does not bind, so only the reload itself finds the port taken; the master then keeps the old worker.
        var error = await Assert.ThrowsAsync<EdgeProcessException>(() =>
            _h.Edge.ApplyAsync(description with { ListenPort = busyPort }, CancellationToken.None));

        Assert.Contains("choose another --local-port", error.Message);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
        Assert.Equal("blue", await http.GetStringAsync("/"));
        Assert.Equal(description, await _h.Edge.ReadActiveDescriptionAsync(CancellationToken.None));
        Assert.Contains($"bind 127.0.0.1:{_h.Port}", await File.ReadAllTextAsync(_h.Layout.ConfigFile));
    }

    [Fact]
    public async Task The_edge_exports_its_own_prometheus_metrics()
    {
        await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.Route("m", (_h.Blue, 256))), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
        for (var i = 0; i < 3; i++) await http.GetStringAsync("/v2/models/m");

        var metrics = await http.GetStringAsync("/metrics");

        Assert.Contains("haproxy_process_nbthread", metrics);
        Assert.Contains("haproxy_backend_http_requests_total{proxy=\"model_m\"} 3", metrics);
        Assert.Contains("haproxy_server_current_sessions{proxy=\"model_m\",server=\"blue\"}", metrics);
        Assert.Equal(0, _h.Blue.Requests - 3);
    }
}
