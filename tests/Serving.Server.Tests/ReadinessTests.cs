using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Serving.Server.Hosting;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class ReadinessTests(ServingFixture fixture)
{
    [Fact]
    public async Task Until_warm_up_completes_the_server_is_live_but_not_ready_and_refuses_inference()
    {
        var gate = new HeldGate();
        await using var server = await TestServer.StartAsync(fixture, configureServices: s => s.AddSingleton<IReadinessGate>(gate), waitUntilReady: false);
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var pixels = TestModels.Pixels(1, seed: 50);

        Assert.True((await ReadJsonAsync(await server.Client.GetAsync("/v2/health/live"))).GetProperty("live").GetBoolean());
        Assert.False((await ReadJsonAsync(await server.Client.GetAsync("/v2/health/ready"), HttpStatusCode.ServiceUnavailable)).GetProperty("ready").GetBoolean());
        Assert.False((await ReadJsonAsync(await server.Client.GetAsync("/v2/models/fashion-mnist/ready"), HttpStatusCode.ServiceUnavailable)).GetProperty("ready").GetBoolean());
        var error = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels))), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Model 'fashion-mnist' is not ready yet (warming up); retry shortly.", error);
        // Metadata is known from the loaded model, ready or not.
        await ReadJsonAsync(await server.Client.GetAsync("/v2/models/fashion-mnist"));

        gate.Open.TrySetResult();
        await server.WaitUntilAsync(() => server.Server.IsReady, "readiness after the gate opens");

        Assert.True((await ReadJsonAsync(await server.Client.GetAsync("/v2/health/ready"))).GetProperty("ready").GetBoolean());
        AssertMatchesReference(await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels)))), fixture.Reference, pixels);
    }

    [Fact]
    public async Task Stopping_drops_readiness()
    {
        await using var server = await TestServer.StartAsync(fixture);
        Assert.True(server.Server.IsReady);

        await server.Server.StopAsync();

        Assert.False(server.Server.IsReady);
    }

    private sealed class HeldGate : IReadinessGate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            Reached.TrySetResult();
            await Open.Task.WaitAsync(cancellationToken);
        }
    }
}
