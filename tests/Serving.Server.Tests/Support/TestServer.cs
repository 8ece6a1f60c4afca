using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Serving.Protocol.Inference;
using Serving.Server.Configuration;
using Serving.Server.Hosting;

namespace Serving.Server.Tests.Support;

/// <summary>
/// A real server (Kestrel on 127.0.0.1, free REST and gRPC ports) in this process, and clients pointed at it: HTTP
/// for REST, a Grpc.Net.Client channel (h2c) for gRPC.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private TestServer(ServingServer server, HttpClient client, GrpcChannel channel, ServerOptions options)
    {
        Server = server;
        Client = client;
        _channel = channel;
        Grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        Options = options;
    }

    public ServingServer Server { get; }

    public HttpClient Client { get; }

    public GRPCInferenceService.GRPCInferenceServiceClient Grpc { get; }

    /// <summary>The channel to the gRPC port, for other services on it (grpc.health.v1).</summary>
    public GrpcChannel GrpcChannel => _channel;

    public ServerOptions Options { get; }

    public string InferPath => $"/v2/models/{Options.ModelName}/infer";

    /// <summary>Options for the fixture's model on loopback; adjust them with <c>with</c>.</summary>
    public static ServerOptions DefaultOptions(ServingFixture fixture) => new()
    {
        ModelPath = fixture.ModelPath,
        BindAddress = "127.0.0.1",
        Port = 0,
        // Parallel test runs must not collide on the default 8081.
        GrpcPort = 0,
        WarmupRuns = 1,
        LogFormat = ServerLogFormat.Simple,
    };

    public static async Task<TestServer> StartAsync(ServingFixture fixture, ServerOptions? options = null,
        Action<IServiceCollection>? configureServices = null, bool waitUntilReady = true)
    {
        options ??= DefaultOptions(fixture);
        var server = ServingServer.Create(options, fixture.Environment, configureServices);
        await server.StartAsync();
        var client = new HttpClient { BaseAddress = server.Addresses[0], Timeout = TimeSpan.FromSeconds(20) };
        var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var running = new TestServer(server, client, channel, options);
        if (waitUntilReady) await running.WaitUntilAsync(() => server.IsReady, "the server to become ready");
        return running;
    }

    public async Task<PrometheusMetrics> GetMetricsAsync()
    {
        using var response = await Client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return PrometheusMetrics.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task<PrometheusSeries> GetSeriesAsync()
    {
        using var response = await Client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return PrometheusSeries.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until the condition holds: waits on an observable state, never on a guessed duration.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what) => await Poll.UntilAsync(() => Task.FromResult(condition()), what);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _channel.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}

public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
