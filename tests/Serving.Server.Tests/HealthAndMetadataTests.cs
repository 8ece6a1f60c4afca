using System.Net;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class HealthAndMetadataTests(ServingFixture fixture)
{
    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        await using var server = await TestServer.StartAsync(fixture);

        Assert.True((await ReadJsonAsync(await server.Client.GetAsync("/v2/health/live"))).GetProperty("live").GetBoolean());
        Assert.True((await ReadJsonAsync(await server.Client.GetAsync("/v2/health/ready"))).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Server_metadata_names_the_binary_tensor_extension()
    {
        await using var server = await TestServer.StartAsync(fixture);

        var metadata = await ReadJsonAsync(await server.Client.GetAsync("/v2"));

        Assert.Equal("mlops-pipeline-serving", metadata.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("version").GetString()));
        Assert.Contains("binary_tensor_data", metadata.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("/v2/models/fashion-mnist")]
    [InlineData("/v2/models/fashion-mnist/versions/7")]
    public async Task Model_metadata_describes_the_interface_with_a_variable_batch_dimension(string path)
    {
        await using var server = await TestServer.StartAsync(fixture);

        var metadata = await ReadJsonAsync(await server.Client.GetAsync(path));

        Assert.Equal("fashion-mnist", metadata.GetProperty("name").GetString());
        // The version comes from the model's metadata_props when none is configured.
        Assert.Equal(["7"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
        var input = Assert.Single(metadata.GetProperty("inputs").EnumerateArray());
        Assert.Equal("input", input.GetProperty("name").GetString());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1, 784], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var outputs = metadata.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(["probabilities", "label"], outputs.Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(["FP32", "INT64"], outputs.Select(o => o.GetProperty("datatype").GetString()));
        Assert.Equal([-1, 10], outputs[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal([-1], outputs[1].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Theory]
    [InlineData("/v2/models/fashion-mnist/ready")]
    [InlineData("/v2/models/fashion-mnist/versions/7/ready")]
    public async Task Model_ready_answers_with_name_and_state(string path)
    {
        await using var server = await TestServer.StartAsync(fixture);

        var ready = await ReadJsonAsync(await server.Client.GetAsync(path));

        Assert.Equal("fashion-mnist", ready.GetProperty("name").GetString());
        Assert.True(ready.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Configured_name_and_version_replace_the_defaults()
    {
        var options = TestServer.DefaultOptions(fixture) with { ModelName = "shirts", ModelVersion = "2024-06" };
        await using var server = await TestServer.StartAsync(fixture, options);

        var metadata = await ReadJsonAsync(await server.Client.GetAsync("/v2/models/shirts/versions/2024-06"));

        Assert.Equal("shirts", metadata.GetProperty("name").GetString());
        Assert.Equal(["2024-06"], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        await ReadErrorAsync(await server.Client.GetAsync("/v2/models/fashion-mnist"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/v2/models/sneakers", "Unknown model 'sneakers'; this server serves 'fashion-mnist'.")]
    [InlineData("GET", "/v2/models/sneakers/ready", "Unknown model 'sneakers'")]
    [InlineData("POST", "/v2/models/sneakers/infer", "Unknown model 'sneakers'")]
    [InlineData("GET", "/v2/models/fashion-mnist/versions/8", "Model 'fashion-mnist' has no version '8'; it serves version '7'.")]
    [InlineData("GET", "/v2/models/fashion-mnist/versions/8/ready", "has no version '8'")]
    [InlineData("POST", "/v2/models/fashion-mnist/versions/8/infer", "has no version '8'")]
    [InlineData("GET", "/v1/models/fashion-mnist", "No route for GET /v1/models/fashion-mnist")]
    public async Task Unknown_models_versions_and_routes_get_404_with_a_message(string method, string path, string message)
    {
        await using var server = await TestServer.StartAsync(fixture);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = InferRequests.Content(InferRequests.Json(TestModels.Pixels(1, seed: 1)));

        var error = await ReadErrorAsync(await server.Client.SendAsync(request), HttpStatusCode.NotFound);

        Assert.Contains(message, error);
    }
}
