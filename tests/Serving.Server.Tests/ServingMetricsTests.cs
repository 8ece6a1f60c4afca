using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Serving.Server.Hosting;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

/// <summary>The issue #15 families: requests by final code, request duration, predicted classes.</summary>
[Collection(ServingCollection.Name)]
public sealed class ServingMetricsTests(ServingFixture fixture)
{
    private const string Requests = "mlops_inference_requests_total";

    [Fact]
    public async Task Every_infer_request_is_counted_by_its_final_code_and_timed()
    {
        var options = TestServer.DefaultOptions(fixture) with { MaxRequestBodyBytes = 64 * 1024 };
        await using var server = await TestServer.StartAsync(fixture, options);
        var before = await server.GetSeriesAsync();
        Assert.Equal(0, before.Value(Requests, ("code", "200")));
        Assert.Equal(0, before.Value("mlops_inference_request_duration_seconds_count"));

        for (var i = 0; i < 3; i++)
            (await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(TestModels.Pixels(2, seed: i))))).EnsureSuccessStatusCode();
        var badShape = """{"inputs":[{"name":"input","shape":[1,783],"datatype":"FP32","data":[1]}]}""";
        await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(badShape)), HttpStatusCode.BadRequest);
        var oversize = InferRequests.Content(new string(' ', 100 * 1024) + "{}");
        await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, oversize), HttpStatusCode.RequestEntityTooLarge);
        // A model this server does not serve: counted under the served model's labels, never under the client's text.
        await ReadErrorAsync(await server.Client.PostAsync("/v2/models/attacker-chosen/infer", InferRequests.Content("{}")), HttpStatusCode.NotFound);

        var after = await server.GetSeriesAsync();
        Assert.Equal(3, after.Value(Requests, ("code", "200")));
        Assert.Equal(1, after.Value(Requests, ("code", "400")));
        Assert.Equal(1, after.Value(Requests, ("code", "413")));
        Assert.Equal(1, after.Value(Requests, ("code", "404")));
        Assert.Equal(0, after.Value(Requests, ("code", "503")));
        Assert.All(after.Where(Requests), s => Assert.Equal(("fashion-mnist", "7"), (s.Labels["model"], s.Labels["version"])));
        Assert.DoesNotContain("attacker-chosen", after.Text);
        Assert.Equal(6, after.Value("mlops_inference_request_duration_seconds_count"));
        Assert.Equal(6, after.Value("mlops_inference_request_duration_seconds_bucket", ("le", "+Inf")));
        Assert.True(after.Value("mlops_inference_request_duration_seconds_sum") > 0);
        Assert.Contains("# TYPE mlops_inference_request_duration_seconds histogram", after.Text);
        Assert.Contains("# TYPE mlops_inference_requests_total counter", after.Text);
        // The contract's buckets, so recording rules and dashboards can rely on them.
        var buckets = after.Where("mlops_inference_request_duration_seconds_bucket").Select(s => s.Labels["le"]).ToArray();
        Assert.Equal(["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.02", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"], buckets);
    }

    [Fact]
    public async Task Requests_refused_while_warming_up_count_as_503()
    {
        var gate = new ClosedGate();
        await using var server = await TestServer.StartAsync(fixture, configureServices: s => s.AddSingleton<IReadinessGate>(gate), waitUntilReady: false);
        await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(TestModels.Pixels(1, seed: 3)))), HttpStatusCode.ServiceUnavailable);
        var metrics = await server.GetSeriesAsync();
        Assert.Equal(1, metrics.Value(Requests, ("code", "503")));
        Assert.Equal(1, metrics.Value("mlops_inference_request_duration_seconds_count"));
    }

    [Fact]
    public async Task Predicted_class_counts_equal_the_labels_the_server_returned()
    {
        var data = await fixture.FashionMnist.Value;
        await using var server = await TestServer.StartAsync(fixture);
        var returned = new List<string>();
        for (var start = 0; start < 300; start += 50)
        {
            var pixels = Enumerable.Range(start, 50).SelectMany(i => data.Test.Sample(i).ToArray()).ToArray();
            var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels))));
            returned.AddRange(InferRequests.Longs(Output(response, "label").GetProperty("data")).Select(l => data.Test.ClassNames[(int)l]));
        }

        // Only probabilities asked for: the class is their argmax, mapped through class_names.
        var probabilityPixels = Enumerable.Range(300, 20).SelectMany(i => data.Test.Sample(i).ToArray()).ToArray();
        var onlyProbabilities = InferRequests.Json(probabilityPixels);
        onlyProbabilities["outputs"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "probabilities" });
        var probabilities = InferRequests.Floats(Output(await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(onlyProbabilities))), "probabilities").GetProperty("data"));
        returned.AddRange(probabilities.Chunk(TestModels.Classes).Select(row => data.Test.ClassNames[Array.IndexOf(row, row.Max())]));

        var metrics = await server.GetSeriesAsync();
        Assert.True(returned.Distinct().Count() > 1, "the test needs answers of more than one class");
        foreach (var name in data.Test.ClassNames)
            Assert.Equal(returned.Count(r => r == name), metrics.Value("mlops_predicted_class_total", ("class", name)));
        Assert.Equal(320, metrics.Where("mlops_predicted_class_total").Sum(s => s.Value));
    }

    /// <summary>Keeps the server not ready until it stops.</summary>
    private sealed class ClosedGate : IReadinessGate
    {
        public Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
