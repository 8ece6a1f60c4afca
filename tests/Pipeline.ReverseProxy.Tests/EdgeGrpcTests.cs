using System.Net;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>A model's gRPC endpoint through a real haproxy: HTTP/2 to the same slot as REST, switched with it, drained with it, and gRPC-shaped edge errors.</summary>
public sealed class EdgeGrpcTests : IAsyncLifetime
{
    private readonly EdgeHarness _h = new();
    private readonly int _grpcPort = TestUpstream.FreePort();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    private GrpcClient Grpc() => new(new Uri($"http://127.0.0.1:{_grpcPort}"));

    [Fact]
    public async Task A_switch_moves_the_grpc_and_the_rest_endpoint_to_the_new_slot_in_one_runtime_change()
    {
        await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.GrpcRoute("m", _grpcPort, (_h.Blue, 256), (_h.Green, 0))), CancellationToken.None);
        using var grpc = Grpc();
        using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
        var worker = await _h.WorkerPidAsync();

        var before = await grpc.CallAsync("/test.Echo/Name");
        Assert.Equal("blue m", await rest.GetStringAsync("/v2/models/m"));
        var change = await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.GrpcRoute("m", _grpcPort, (_h.Blue, 0), (_h.Green, 256))), CancellationToken.None);
        var after = await grpc.CallAsync("/test.Echo/Name");

        Assert.Equal((HttpStatusCode.OK, 0, "blue"), (before.HttpStatus, before.GrpcStatus, before.Message));
        Assert.Equal((HttpStatusCode.OK, 0, "green"), (after.HttpStatus, after.GrpcStatus, after.Message));
        Assert.Equal("green m", await rest.GetStringAsync("/v2/models/m"));
        Assert.Equal(EdgeChangeKind.Runtime, change.Kind);
        Assert.Equal(worker, await _h.WorkerPidAsync());
        // The edge spoke HTTP/2 to the upstreams' h2c ports: they count only HTTP/2 calls.
        Assert.Equal((1, 1), (_h.Blue.GrpcRequests, _h.Green.GrpcRequests));
        var restWeights = (await _h.Edge.ServerStatsAsync(CancellationToken.None)).Select(s => (s.Slot, s.Weight)).Order();
        var grpcWeights = (await _h.Edge.GrpcServerStatsAsync(CancellationToken.None)).Select(s => (s.Slot, s.Weight)).Order();
        Assert.Equal([("blue", 0), ("green", 256)], grpcWeights);
        Assert.Equal(restWeights, grpcWeights);
    }

    [Fact]
    public async Task With_no_server_a_grpc_client_gets_UNAVAILABLE_in_a_trailers_only_answer_and_REST_clients_keep_their_json_503()
    {
        var closed = TestUpstream.FreePort();
        var gone = new EdgeServer("blue", closed, 256, "gone", "v0") { GrpcPort = closed };
        await _h.Edge.ApplyAsync(_h.Description(new EdgeRoute("m", [gone]) { GrpcListenPort = _grpcPort }), CancellationToken.None);
        using var grpc = Grpc();
        using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };

        var answer = await grpc.CallAsync("/inference.GRPCInferenceService/ModelInfer");
        var restAnswer = await rest.GetAsync("/v2/models/m");

        Assert.Equal((HttpStatusCode.OK, "application/grpc", 14), (answer.HttpStatus, answer.ContentType, answer.GrpcStatus));
        Assert.Equal("no model server is available for this request", answer.GrpcMessage);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, restAnswer.StatusCode);
        Assert.Equal("application/json", restAnswer.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_grpc_server_slower_than_the_read_timeout_gives_UNAVAILABLE()
    {
        await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.GrpcRoute("m", _grpcPort, (_h.Blue, 256))) with { ReadTimeout = TimeSpan.FromSeconds(1) },
            CancellationToken.None);
        using var grpc = Grpc();

        var answer = await grpc.CallAsync("/test.Echo/Slow?ms=3000");

        Assert.Equal((HttpStatusCode.OK, 14), (answer.HttpStatus, answer.GrpcStatus));
        Assert.Equal("the model server did not answer within 1 s", answer.GrpcMessage);
    }

    [Fact]
    public async Task Waiting_for_a_drain_waits_for_grpc_calls_in_flight_too()
    {
        await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.GrpcRoute("m", _grpcPort, (_h.Blue, 256), (_h.Green, 0))), CancellationToken.None);
        using var grpc = Grpc();
        var slow = grpc.CallAsync("/test.Echo/Slow?ms=2000");
        while (Volatile.Read(ref _h.Blue.GrpcRequests) == 0) await Task.Delay(10);

        await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.GrpcRoute("m", _grpcPort, (_h.Blue, 0), (_h.Green, 256))), CancellationToken.None);
        // The REST backend has nothing in flight: only the gRPC call holds the blue slot.
        var early = await Assert.ThrowsAsync<TimeoutException>(() => _h.Edge.WaitForDrainAsync("m", "blue", TimeSpan.FromMilliseconds(300), CancellationToken.None));
        await _h.Edge.WaitForDrainAsync("m", "blue", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Contains("1 request(s) on grpc_m/blue still in progress", early.Message);
        Assert.True(slow.IsCompleted);
        Assert.Equal("blue", (await slow).Message);
        Assert.Equal("green", (await grpc.CallAsync("/test.Echo/Name")).Message);
    }
}
