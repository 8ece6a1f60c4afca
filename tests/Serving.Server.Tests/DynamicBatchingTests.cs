using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class DynamicBatchingTests(ServingFixture fixture)
{
    [Fact]
    public async Task Concurrent_requests_are_merged_into_one_run_and_each_gets_its_own_rows()
    {
        // The delay is far longer than the test: the merged run can only start because the batch filled up.
        var options = TestServer.DefaultOptions(fixture) with
        {
            DynamicBatching = true, DynamicBatchMaxSize = 4, DynamicBatchMaxQueueDelayMicroseconds = 10_000_000,
        };
        await using var server = await TestServer.StartAsync(fixture, options);
        var pixels = Enumerable.Range(0, 4).Select(i => TestModels.Pixels(1, seed: 60 + i)).ToArray();

        var responses = await Task.WhenAll(pixels.Select(p => server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(p)))));

        for (var i = 0; i < pixels.Length; i++) AssertMatchesReference(await ReadJsonAsync(responses[i]), fixture.Reference, pixels[i]);
        var metrics = await server.GetMetricsAsync();
        Assert.Equal(4, metrics["nv_inference_count"]);
        Assert.Equal(1, metrics["nv_inference_exec_count"]);
        Assert.True(metrics["nv_inference_exec_count"] < metrics["nv_inference_count"]);
        Assert.Equal(4, metrics["nv_inference_request_success"]);
    }

    [Fact]
    public async Task Multi_row_requests_that_do_not_fit_together_run_in_separate_batches()
    {
        var options = TestServer.DefaultOptions(fixture) with
        {
            DynamicBatching = true, DynamicBatchMaxSize = 4, DynamicBatchMaxQueueDelayMicroseconds = 50_000,
        };
        await using var server = await TestServer.StartAsync(fixture, options);
        var pixels = Enumerable.Range(0, 2).Select(i => TestModels.Pixels(3, seed: 64 + i)).ToArray();

        var responses = await Task.WhenAll(pixels.Select(p => server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(p)))));

        for (var i = 0; i < pixels.Length; i++) AssertMatchesReference(await ReadJsonAsync(responses[i]), fixture.Reference, pixels[i]);
        var metrics = await server.GetMetricsAsync();
        Assert.Equal(6, metrics["nv_inference_count"]);
        Assert.Equal(2, metrics["nv_inference_exec_count"]);
    }

    [Fact]
    public async Task A_lone_request_runs_when_the_queue_delay_runs_out()
    {
        var options = TestServer.DefaultOptions(fixture) with
        {
            DynamicBatching = true, DynamicBatchMaxSize = 8, DynamicBatchMaxQueueDelayMicroseconds = 2_000,
        };
        await using var server = await TestServer.StartAsync(fixture, options);
        var pixels = TestModels.Pixels(2, seed: 66);

        var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels))));

        AssertMatchesReference(response, fixture.Reference, pixels);
        var metrics = await server.GetMetricsAsync();
        Assert.Equal(1, metrics["nv_inference_exec_count"]);
        Assert.True(metrics["nv_inference_queue_duration_us"] >= 1_000, $"queued {metrics["nv_inference_queue_duration_us"]} µs");
    }
}
