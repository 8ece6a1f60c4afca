using System.Text.Json.Nodes;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class InferJsonTests(ServingFixture fixture)
{
    [Fact]
    public async Task Flat_data_for_a_batch_gives_the_models_outputs_for_every_row()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 3, seed: 10);

        var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels))));

        Assert.Equal("fashion-mnist", response.GetProperty("model_name").GetString());
        Assert.Equal("7", response.GetProperty("model_version").GetString());
        AssertMatchesReference(response, fixture.Reference, pixels);
    }

    [Fact]
    public async Task Nested_data_is_read_row_major_like_flat_data()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 2, seed: 11);

        var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.NestedJson(pixels))));

        AssertMatchesReference(response, fixture.Reference, pixels);
    }

    [Fact]
    public async Task The_request_id_is_echoed_and_left_out_when_not_given()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 1, seed: 12);

        var withId = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels, id: "req-42 ü"))));
        var withoutId = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels))));

        Assert.Equal("req-42 ü", withId.GetProperty("id").GetString());
        Assert.False(withoutId.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Outputs_select_which_tensors_come_back_in_the_order_asked()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 2, seed: 13);
        var request = InferRequests.Json(pixels);
        request["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" });

        var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(request)));

        var output = Assert.Single(response.GetProperty("outputs").EnumerateArray());
        Assert.Equal("label", output.GetProperty("name").GetString());
        Assert.Equal([2], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(fixture.Reference.Run(pixels).Labels, InferRequests.Longs(output.GetProperty("data")));

        request["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" }, new JsonObject { ["name"] = "probabilities" });
        var both = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(request)));
        Assert.Equal(["label", "probabilities"], both.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Properties_may_come_in_any_order_and_unknown_ones_are_ignored()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 1, seed: 14);
        var data = string.Join(",", pixels);
        var json = $$"""
            {"extra": {"nested": [1, {"x": null}]}, "inputs": [{"data": [{{data}}], "parameters": {"content_type": "np"},
             "datatype": "FP32", "shape": [1, 784], "name": "input"}], "parameters": {"priority": 1}, "id": "late"}
            """;

        var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(json)));

        Assert.Equal("late", response.GetProperty("id").GetString());
        AssertMatchesReference(response, fixture.Reference, pixels);
    }

    [Fact]
    public async Task Versioned_infer_route_serves_the_same_model()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 1, seed: 15);

        var response = await ReadJsonAsync(await server.Client.PostAsync("/v2/models/fashion-mnist/versions/7/infer", InferRequests.Content(InferRequests.Json(pixels))));

        AssertMatchesReference(response, fixture.Reference, pixels);
    }
}
