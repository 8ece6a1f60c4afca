using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class InferBinaryTests(ServingFixture fixture)
{
    [Fact]
    public async Task Binary_input_with_a_JSON_response()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 2, seed: 20);

        var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Binary(pixels)));

        AssertMatchesReference(response, fixture.Reference, pixels);
    }

    [Fact]
    public async Task Binary_round_trip_returns_raw_little_endian_outputs_after_the_JSON_header()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 3, seed: 21);
        var outputs = new JsonObject
        {
            ["outputs"] = new JsonArray(
                new JsonObject { ["name"] = "probabilities", ["parameters"] = new JsonObject { ["binary_data"] = true } },
                new JsonObject { ["name"] = "label", ["parameters"] = new JsonObject { ["binary_data"] = true } }),
        };

        using var response = await server.Client.PostAsync(server.InferPath, InferRequests.Binary(pixels, outputs));
        var (header, binary) = await SplitAsync(response);

        var (probabilities, labels) = fixture.Reference.Run(pixels);
        var probabilityOutput = Output(header, "probabilities");
        var labelOutput = Output(header, "label");
        Assert.False(probabilityOutput.TryGetProperty("data", out _));
        Assert.Equal(probabilities.Length * 4, probabilityOutput.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal(labels.Length * 8, labelOutput.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal(probabilities.Length * 4 + labels.Length * 8, binary.Length);
        AssertClose(probabilities, MemoryMarshal.Cast<byte, float>(binary.AsSpan(0, probabilities.Length * 4)).ToArray());
        Assert.Equal(labels, MemoryMarshal.Cast<byte, long>(binary.AsSpan(probabilities.Length * 4)).ToArray());
    }

    [Fact]
    public async Task Binary_data_output_makes_every_output_binary_unless_one_says_otherwise()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(rows: 1, seed: 22);
        var request = InferRequests.Json(pixels);
        request["parameters"] = new JsonObject { ["binary_data_output"] = true };
        request["outputs"] = new JsonArray(
            new JsonObject { ["name"] = "probabilities", ["parameters"] = new JsonObject { ["binary_data"] = false } },
            new JsonObject { ["name"] = "label" });

        using var response = await server.Client.PostAsync(server.InferPath, InferRequests.Content(request));
        var (header, binary) = await SplitAsync(response);

        var (probabilities, labels) = fixture.Reference.Run(pixels);
        AssertClose(probabilities, InferRequests.Floats(Output(header, "probabilities").GetProperty("data")));
        Assert.Equal(8, Output(header, "label").GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal(labels, MemoryMarshal.Cast<byte, long>(binary).ToArray());
    }

    private static async Task<(JsonElement Header, byte[] Binary)> SplitAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var headerLength = int.Parse(response.Headers.GetValues(InferRequests.HeaderLengthHeader).Single());
        return (JsonDocument.Parse(body.AsMemory(0, headerLength)).RootElement.Clone(), body[headerLength..]);
    }
}
