using System.Net;
using Pipeline.Processes;
using TestSupport;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>The real nginx started under a state directory of its own, reloaded gracefully and found again from its pid file.</summary>
public sealed class ProxyLifecycleTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _state = new();
    private readonly List<string> _log = [];
    private NginxProxy _proxy = null!;
    private TestUpstream _blue = null!;
    private TestUpstream _green = null!;
    private readonly int _port = TestUpstream.FreePort();

    public async Task InitializeAsync()
    {
        _proxy = new NginxProxy(new ProcessRunner(), new NginxLayout(_state.Path), _log.Add);
        _blue = await TestUpstream.StartAsync("blue");
        _green = await TestUpstream.StartAsync("green");
    }

    public async Task DisposeAsync()
    {
        await _proxy.StopAsync(CancellationToken.None);
        await _blue.DisposeAsync();
        await _green.DisposeAsync();
        _state.Dispose();
    }

    private ProxyDescription To(TestUpstream upstream) => new(_port, "127.0.0.1", upstream.Port, upstream.Name) { MaxBodyBytes = 1024 };

    [Fact]
    public async Task First_apply_starts_nginx_on_the_port_and_a_new_object_finds_it_from_the_pid_file()
    {
        var change = await _proxy.ApplyAsync(To(_blue), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

        Assert.True(change.Started);
        Assert.Equal("blue", await http.GetStringAsync("/"));
        var again = new NginxProxy(new ProcessRunner(), new NginxLayout(_state.Path), _ => { });
        Assert.Equal(_proxy.RunningMasterPid(), again.RunningMasterPid());
        Assert.NotNull(again.RunningMasterPid());
        Assert.Equal(To(_blue), await again.ReadActiveDescriptionAsync(CancellationToken.None));

        await again.StopAsync(CancellationToken.None);
        Assert.Null(_proxy.RunningMasterPid());
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/"));
    }

    [Fact]
    public async Task A_stale_pid_file_naming_another_process_is_not_taken_for_nginx()
    {
        new NginxLayout(_state.Path).Create();
        await File.WriteAllTextAsync(new NginxLayout(_state.Path).PidFile, Environment.ProcessId.ToString());

        Assert.Null(_proxy.RunningMasterPid());
        var change = await _proxy.ApplyAsync(To(_blue), CancellationToken.None);
        Assert.True(change.Started);
    }

    [Fact]
    public async Task A_reload_lets_requests_in_flight_finish_on_the_old_upstream_while_new_ones_go_to_the_new()
    {
        await _proxy.ApplyAsync(To(_blue), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        var slow = http.PostAsync("/slow?ms=3000", null);
        while (Volatile.Read(ref _blue.Requests) == 0) await Task.Delay(10);

        var change = await _proxy.ApplyAsync(To(_green), CancellationToken.None);
        Assert.False(change.Started);
        Assert.NotEmpty(change.RetiringWorkers);
        // The master tells the old worker to stop accepting a moment after the new one runs; until then either may take a
        // new connection. Once the old one has stopped, every new request goes green: wait for a run of them.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var greenInARow = 0; greenInARow < 20 && DateTime.UtcNow < deadline; await Task.Delay(10))
            greenInARow = await http.GetStringAsync("/") == "green" ? greenInARow + 1 : 0;
        Assert.Equal("green", await http.GetStringAsync("/"));
        Assert.False(slow.IsCompleted);

        await _proxy.WaitForRetiredWorkersAsync(change, TimeSpan.FromSeconds(60), CancellationToken.None);
        // The old worker exits only after its request is answered, and the answer is the old upstream's. The worker has
        // written the answer when it exits; the client reads it a moment later (on a loaded CI runner, after this line
        // ran), so the answer is awaited briefly rather than expected to be read already.
        var answer = await slow.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("blue", await answer.Content.ReadAsStringAsync());

        var window = await AccessLogWindow.ReadAsync(new NginxLayout(_state.Path).AccessLog, change.AccessLogOffset, CancellationToken.None);
        Assert.Equal(window.ByUpstream.Values.Sum(), window.Requests);
        Assert.Equal(0, window.Failed);
        Assert.InRange(window.ByUpstream[$"127.0.0.1:{_blue.Port}"], 1, 1000);
        Assert.InRange(window.ByUpstream[$"127.0.0.1:{_green.Port}"], 1, 1000);
    }

    [Fact]
    public async Task A_refused_reload_leaves_the_running_configuration_and_its_file_in_place()
    {
        await _proxy.ApplyAsync(To(_blue), CancellationToken.None);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, TestUpstream.FreePort());
        taken.Start();
        var busyPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        // nginx -t does not bind, so only the reload itself finds the port taken; the master then keeps the old config.
        await Assert.ThrowsAsync<ProxyProcessException>(() =>
            _proxy.ApplyAsync(new ProxyDescription(busyPort, "127.0.0.1", _green.Port, "green"), CancellationToken.None));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        Assert.Equal("blue", await http.GetStringAsync("/"));
        Assert.Equal(To(_blue), await _proxy.ReadActiveDescriptionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Bodies_over_the_limit_get_413_from_nginx_and_never_reach_the_upstream()
    {
        await _proxy.ApplyAsync(To(_blue), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

        var within = await http.PostAsync("/echo", new ByteArrayContent(new byte[1024]));
        var over = await http.PostAsync("/echo", new ByteArrayContent(new byte[1025]));

        Assert.Equal("blue 1024", await within.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal(1, _blue.Requests);
    }

    [Fact]
    public async Task Connections_to_the_upstream_are_kept_alive()
    {
        await _proxy.ApplyAsync(To(_blue), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        for (var i = 0; i < 20; i++) Assert.Equal("blue", await http.GetStringAsync("/"));

        // nginx would open one connection per request without keep-alive to the upstream.
        Assert.Single(_blue.Connections);
    }

    [Fact]
    public async Task Twenty_reloads_under_concurrent_POSTs_lose_no_request()
    {
        await _proxy.ApplyAsync(To(_blue), CancellationToken.None);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long answered = 0;
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 16).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsync("/echo", new ByteArrayContent(new byte[500]));
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref answered);
                    else failures.Enqueue($"{(int)response.StatusCode} {text}");
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue(e.InnerException?.Message ?? e.Message);
                }
                await Task.Delay(Random.Shared.Next(0, 20));
            }
        }).ToArray();

        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(200);
            var change = await _proxy.ApplyAsync(To(i % 2 == 0 ? _green : _blue), CancellationToken.None);
            await _proxy.WaitForRetiredWorkersAsync(change, TimeSpan.FromSeconds(60), CancellationToken.None);
        }
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        // With client keep-alive on, nginx resets idle connections of its old workers on each reload and some POSTs fail.
        Assert.True(failures.IsEmpty, $"{failures.Count} of {answered + failures.Count} requests failed: {string.Join("; ", failures.Distinct().Take(3))}");
        Assert.True(answered > 200, $"only {answered} requests were answered");
        Assert.True(_blue.Requests > 0 && _green.Requests > 0);
    }
}
