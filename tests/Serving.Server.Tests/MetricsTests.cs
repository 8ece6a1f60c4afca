using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class MetricsTests(ServingFixture fixture)
{
    private static readonly string[] Counters =
    [
        "nv_inference_request_success", "nv_inference_request_failure", "nv_inference_count", "nv_inference_exec_count",
        "nv_inference_request_duration_us", "nv_inference_queue_duration_us", "nv_inference_compute_infer_duration_us",
    ];

    [Fact]
    public async Task Metrics_are_Prometheus_text_with_Triton_names_and_model_labels()
    {
        await using var server = await TestServer.StartAsync(fixture);

        using var response = await server.Client.GetAsync("/metrics");
        var metrics = PrometheusMetrics.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        foreach (var name in Counters)
        {
            Assert.Equal("counter", metrics.TypeOf(name));
            Assert.True(metrics.HasHelp(name), name);
            Assert.Equal("""{model="fashion-mnist",version="7"}""", metrics.LabelsOf(name));
            Assert.Equal(0, metrics[name]);
        }

        Assert.Equal("gauge", metrics.TypeOf("nv_inference_pending_request_count"));
        Assert.True(metrics.HasHelp("nv_inference_pending_request_count"));
        Assert.Equal(0, metrics["nv_inference_pending_request_count"]);
        // The server's own series and nothing else: no process or runtime metrics from a shared default registry.
        // (No drift series: the fixture's model has no drift baseline beside it.)
        string[] own =
        [
            .. Counters, "nv_inference_pending_request_count", "mlops_inference_requests_total", "mlops_grpc_requests_total", "mlops_predicted_class_total",
            "mlops_inference_request_duration_seconds_sum", "mlops_inference_request_duration_seconds_count", "mlops_inference_request_duration_seconds_bucket",
        ];
        Assert.Equal(own.Order(), metrics.Names.Order());
    }

    [Fact]
    public async Task A_Prometheus_scraper_asking_for_OpenMetrics_gets_the_same_names_and_types()
    {
        await using var server = await TestServer.StartAsync(fixture);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        // The Accept header Prometheus 2.x and 3.x send: OpenMetrics preferred. In OpenMetrics a counter without the
        // _total suffix is typed "unknown", and dashboards would lose Triton's counters.
        request.Headers.TryAddWithoutValidation("Accept",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var metrics = PrometheusMetrics.Parse(text);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("# EOF", text);
        foreach (var name in Counters) Assert.Equal("counter", metrics.TypeOf(name));
        Assert.Equal("gauge", metrics.TypeOf("nv_inference_pending_request_count"));
    }

    [Fact]
    public async Task Two_servers_in_one_process_count_separately()
    {
        await using var first = await TestServer.StartAsync(fixture);
        await using var second = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(1, seed: 90);

        using (var response = await first.Client.PostAsync(first.InferPath, InferRequests.Content(InferRequests.Json(pixels))))
            response.EnsureSuccessStatusCode();

        Assert.Equal(1, (await first.GetMetricsAsync())["nv_inference_request_success"]);
        Assert.Equal(0, (await second.GetMetricsAsync())["nv_inference_request_success"]);
    }

    [Fact]
    public async Task Counters_grow_with_successes_rows_runs_and_failures()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var before = await server.GetMetricsAsync();

        foreach (var rows in new[] { 1, 3 })
        {
            var pixels = TestModels.Pixels(rows, seed: 70 + rows);
            AssertMatchesReference(await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels)))), fixture.Reference, pixels);
        }

        var afterSuccesses = await server.GetMetricsAsync();
        await server.Client.PostAsync(server.InferPath, InferRequests.Content("{"));
        var afterFailure = await server.GetMetricsAsync();

        Assert.Equal(2, afterSuccesses["nv_inference_request_success"] - before["nv_inference_request_success"]);
        Assert.Equal(4, afterSuccesses["nv_inference_count"] - before["nv_inference_count"]);
        Assert.Equal(2, afterSuccesses["nv_inference_exec_count"] - before["nv_inference_exec_count"]);
        Assert.True(afterSuccesses["nv_inference_request_duration_us"] > afterSuccesses["nv_inference_compute_infer_duration_us"]);
        Assert.True(afterSuccesses["nv_inference_compute_infer_duration_us"] > 0);
        Assert.Equal(0, afterSuccesses["nv_inference_request_failure"]);
        Assert.Equal(1, afterFailure["nv_inference_request_failure"]);
        Assert.Equal(afterSuccesses["nv_inference_request_success"], afterFailure["nv_inference_request_success"]);
    }
}
