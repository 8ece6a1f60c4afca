using System.Net;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class MetricsPortTests(ServingFixture fixture)
{
    [Fact]
    public async Task With_a_metrics_port_metrics_are_served_there_and_only_there()
    {
        await using var server = await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { MetricsPort = 0 });
        var metricsAddress = server.Server.MetricsAddress!;
        Assert.NotEqual(server.Server.Addresses[0].Port, metricsAddress.Port);
        using var metricsClient = new HttpClient { BaseAddress = metricsAddress, Timeout = TimeSpan.FromSeconds(10) };

        using var metrics = await metricsClient.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("mlops_inference_requests_total", await metrics.Content.ReadAsStringAsync());

        Assert.Equal("No route for GET /metrics; the API is the Open Inference Protocol under /v2.",
            await ReadErrorAsync(await server.Client.GetAsync("/metrics"), HttpStatusCode.NotFound));
        Assert.Equal("No route for GET /v2/health/live; the API is the Open Inference Protocol under /v2.",
            await ReadErrorAsync(await metricsClient.GetAsync("/v2/health/live"), HttpStatusCode.NotFound));
        await ReadErrorAsync(await metricsClient.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(TestModels.Pixels(1, 2)))), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v2/health/live")).StatusCode);
    }

    [Fact]
    public async Task With_authentication_the_metrics_port_needs_no_key_and_serves_nothing_protected()
    {
        var keys = fixture.TempFile($"keys-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(keys, ApiKeyFiles.Line("client", ApiKeyFiles.FirstSecret));
        await using var server = await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { MetricsPort = 0, ApiKeysFile = keys });
        using var metricsClient = new HttpClient { BaseAddress = server.Server.MetricsAddress, Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal(HttpStatusCode.OK, (await metricsClient.GetAsync("/metrics")).StatusCode);
        using var metadata = new HttpRequestMessage(HttpMethod.Get, "/v2");
        metadata.Headers.Add("X-API-Key", ApiKeyFiles.FirstSecret);
        await ReadErrorAsync(await metricsClient.SendAsync(metadata), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_metrics_port_metrics_stay_on_the_main_port()
    {
        await using var server = await TestServer.StartAsync(fixture);

        Assert.Null(server.Server.MetricsAddress);
        Assert.Single(server.Server.Addresses);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/metrics")).StatusCode);
    }
}
