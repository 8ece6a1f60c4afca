using System.Collections.Concurrent;
using System.Net;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>Traffic through the real edge: weights split it, switches and reloads lose no request on a kept-alive connection, drains wait.</summary>
public sealed class EdgeTrafficTests : IAsyncLifetime
{
    private readonly EdgeHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    private EdgeDescription BlueGreen(int blue, int green) => _h.Description(new EdgeRoute("m",
        [.. blue >= 0 ? [EdgeHarness.Server("blue", _h.Blue, blue)] : Array.Empty<EdgeServer>(), .. green >= 0 ? [EdgeHarness.Server("green", _h.Green, green)] : Array.Empty<EdgeServer>()]));

    [Fact]
    public async Task Weights_three_to_one_split_400_requests_within_a_binomial_bound()
    {
        await _h.Edge.ApplyAsync(BlueGreen(256, 256), CancellationToken.None);
        await _h.Edge.ApplyAsync(BlueGreen(192, 64), CancellationToken.None);
        using var client = new EdgeClient(_h.Port);

        var answers = new Dictionary<string, int> { ["blue"] = 0, ["green"] = 0 };
        for (var i = 0; i < 400; i++) answers[await client.Http.GetStringAsync("/")]++;

        // haproxy's weighted round robin is deterministic (300/100 give or take its starting point); the bound is the one
        // a random 3:1 split would meet all but 6 times in 100,000: n·p = 300 ± 4·sqrt(400·0.75·0.25) = 300 ± 35.
        Assert.InRange(answers["blue"], 265, 335);
        Assert.Equal(400, answers["blue"] + answers["green"]);
        Assert.Equal(1, client.Connections);
    }

    [Fact]
    public async Task One_keep_alive_connection_sends_through_twenty_switches_without_a_failure_and_sees_both_upstreams()
    {
        await _h.Edge.ApplyAsync(BlueGreen(256, -1), CancellationToken.None);
        using var client = new EdgeClient(_h.Port);
        var (answers, failures, sending) = Send(client, out var stop);

        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(100);
            // As Deploy switches: the new slot at full weight and the old one drained in one runtime change, then the old one retired.
            var toGreen = i % 2 == 0;
            var change = await _h.Edge.ApplyAsync(toGreen ? BlueGreen(0, 256) : BlueGreen(256, 0), CancellationToken.None);
            Assert.Equal(EdgeChangeKind.Runtime, change.Kind);
            await _h.Edge.WaitForDrainAsync("m", toGreen ? "blue" : "green", TimeSpan.FromSeconds(10), CancellationToken.None);
            await _h.Edge.ApplyAsync(toGreen ? BlueGreen(-1, 256) : BlueGreen(256, -1), CancellationToken.None);
        }
        await stop.CancelAsync();
        await sending;

        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed: {string.Join("; ", failures.Distinct().Take(3))}");
        Assert.True(answers["blue"] > 20 && answers["green"] > 20, $"blue {answers["blue"]}, green {answers["green"]}");
        Assert.Equal(1, client.Connections);
    }

    [Fact]
    public async Task A_reload_that_adds_a_route_fails_no_request_on_a_kept_alive_connection_and_keeps_the_weights()
    {
        await _h.Edge.ApplyAsync(BlueGreen(256, -1), CancellationToken.None);
        await _h.Edge.ApplyAsync(BlueGreen(0, 256), CancellationToken.None);
        using var client = new EdgeClient(_h.Port);
        var (answers, failures, sending) = Send(client, out var stop);
        await Task.Delay(300);

        var change = await _h.Edge.ApplyAsync(BlueGreen(0, 256).WithRoute(EdgeHarness.Route("other", (_h.Blue, 256))), CancellationToken.None);
        await Task.Delay(500);
        await stop.CancelAsync();
        await sending;

        Assert.Equal(EdgeChangeKind.Reloaded, change.Kind);
        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed: {string.Join("; ", failures.Distinct().Take(3))}");
        // Blue was drained before the reload and stays drained after it; the old worker answered its connection's next request with Connection: close.
        Assert.Equal(0, answers["blue"]);
        Assert.True(answers["green"] > 20);
        Assert.InRange(client.Connections, 1, 2);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
        Assert.Equal("blue other", await http.GetStringAsync("/v2/models/other"));
    }

    [Fact]
    public async Task Drain_waits_for_slow_requests_in_flight_while_new_ones_go_to_the_other_server()
    {
        await _h.Edge.ApplyAsync(BlueGreen(256, -1), CancellationToken.None);
        using var slowClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
        var slow = slowClient.PostAsync("/slow?ms=1500", null);
        while (Volatile.Read(ref _h.Blue.Requests) == 0) await Task.Delay(10);

        await _h.Edge.ApplyAsync(BlueGreen(0, 256), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
        Assert.Equal("green", await http.GetStringAsync("/"));
        Assert.False(slow.IsCompleted);
        var draining = (await _h.Edge.ServerStatsAsync(CancellationToken.None)).Single(s => s.Slot == "blue");
        Assert.Equal(("DRAIN", 1L), (draining.Status, draining.CurrentSessions));

        await _h.Edge.WaitForDrainAsync("m", "blue", TimeSpan.FromSeconds(30), CancellationToken.None);

        // Drained means haproxy has the answer; the client reads it a moment later.
        var answer = await slow.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("blue", await answer.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs one after another on the client's single connection until stopped, counting answers per upstream and failures.</summary>
    private static (ConcurrentDictionary<string, int> Answers, ConcurrentQueue<string> Failures, Task Sending) Send(EdgeClient client, out CancellationTokenSource stop)
    {
        var answers = new ConcurrentDictionary<string, int>(new Dictionary<string, int> { ["blue"] = 0, ["green"] = 0 });
        var failures = new ConcurrentQueue<string>();
        var cancel = stop = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            while (!cancel.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.Http.PostAsync("/echo", new ByteArrayContent(new byte[500]));
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode) answers.AddOrUpdate(text.Split(' ')[0], 1, (_, n) => n + 1);
                    else failures.Enqueue($"{(int)response.StatusCode} {text}");
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue(e.InnerException?.Message ?? e.Message);
                }
            }
        });
        return (answers, failures, sending);
    }
}
