using System.Net;
using System.Text;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class OverloadTests(ServingFixture fixture)
{
    [Fact]
    public async Task A_request_beyond_the_admission_limit_gets_503_at_once_and_the_held_one_still_succeeds()
    {
        var options = TestServer.DefaultOptions(fixture) with { MaxConcurrentInferences = 1, MaxQueueSize = 0 };
        await using var server = await TestServer.StartAsync(fixture, options);
        var heldPixels = TestModels.Pixels(1, seed: 40);
        var held = new HeldRequestContent(Encoding.UTF8.GetBytes(InferRequests.Json(heldPixels).ToJsonString()));
        var heldResponse = server.Client.PostAsync(server.InferPath, held);
        await Poll.UntilAsync(async () => (await server.GetMetricsAsync())["nv_inference_pending_request_count"] == 1, "the held request to be admitted");

        using var refused = await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(TestModels.Pixels(1, seed: 41))));
        var error = await ReadErrorAsync(refused, HttpStatusCode.ServiceUnavailable);
        held.Release();

        Assert.Equal("The server is at capacity (1 inference requests in flight); retry shortly or lower the client's concurrency.", error);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        AssertMatchesReference(await ReadJsonAsync(await heldResponse), fixture.Reference, heldPixels);
        // The slot is free again.
        var next = TestModels.Pixels(1, seed: 42);
        AssertMatchesReference(await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(next)))), fixture.Reference, next);
        var metrics = await server.GetMetricsAsync();
        Assert.Equal(2, metrics["nv_inference_request_success"]);
        Assert.Equal(1, metrics["nv_inference_request_failure"]);
        Assert.Equal(0, metrics["nv_inference_pending_request_count"]);
    }

    [Fact]
    public async Task Requests_up_to_the_limit_are_all_admitted()
    {
        var options = TestServer.DefaultOptions(fixture) with { MaxConcurrentInferences = 1, MaxQueueSize = 2 };
        await using var server = await TestServer.StartAsync(fixture, options);
        var pixels = Enumerable.Range(0, 3).Select(i => TestModels.Pixels(1, seed: 43 + i)).ToArray();
        var held = pixels.Select(p => new HeldRequestContent(Encoding.UTF8.GetBytes(InferRequests.Json(p).ToJsonString()))).ToArray();
        var responses = held.Select(h => server.Client.PostAsync(server.InferPath, h)).ToArray();
        await Poll.UntilAsync(async () => (await server.GetMetricsAsync())["nv_inference_pending_request_count"] == 3, "three held requests to be admitted");

        var error = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels[0]))), HttpStatusCode.ServiceUnavailable);
        foreach (var h in held) h.Release();

        Assert.Contains("at capacity (3 inference requests in flight)", error);
        for (var i = 0; i < responses.Length; i++) AssertMatchesReference(await ReadJsonAsync(await responses[i]), fixture.Reference, pixels[i]);
    }
}
