using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.DatatypeRequests;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

/// <summary>
/// Every served datatype in and out, as JSON and as binary, several named inputs in one request: through the
/// copying run path (a model with strings) and the in-place one (numbers and booleans only).
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class DatatypeTests(ServingFixture fixture)
{
    [Fact]
    public async Task Metadata_lists_every_input_and_output_with_its_datatype_and_a_variable_batch_dimension()
    {
        await using var server = await StartAsync(withStrings: true);

        var metadata = await ReadJsonAsync(await server.Client.GetAsync("/v2/models/fashion-mnist"));

        var inputs = metadata.GetProperty("inputs").EnumerateArray().ToArray();
        Assert.Equal(DatatypeModels.Inputs.Select(i => i.Name), inputs.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(DatatypeModels.Inputs.Select(i => i.Datatype), inputs.Select(i => i.GetProperty("datatype").GetString()));
        Assert.All(inputs, i => Assert.Equal([-1L, 2], i.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())));
        var outputs = metadata.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("datatype").GetString());
        Assert.Equal("BYTES", outputs["text_out"]);
        Assert.Equal("BOOL", outputs["f32_missing"]);
        Assert.Equal("INT64", outputs["i64_out"]);
        Assert.Equal("FP64", outputs["f64_out"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_datatype_round_trips_through_JSON_and_null_reaches_the_model_as_NaN(bool withStrings)
    {
        await using var server = await StartAsync(withStrings);
        var inputs = JsonInputs(withStrings);
        // Any order; "data" before "name" and "datatype" after "data" are read as well.
        var reversed = new JsonArray(inputs.Reverse().Select(i => i!.DeepClone()).ToArray());
        var f64 = reversed.Single(i => (string?)i!["name"] == "f64")!.AsObject();
        var data = f64["data"]!.DeepClone();
        f64.Remove("name");
        f64.Remove("data");
        f64.Remove("datatype");
        f64["data"] = data;
        f64["name"] = "f64";
        f64["datatype"] = "FP64";

        var response = await ReadJsonAsync(await server.Client.PostAsync("/v2/models/fashion-mnist/infer",
            InferRequests.Content(new JsonObject { ["inputs"] = reversed })));

        AssertOutput(response, "f32_out", "FP32");
        Assert.Equal([1.5f, null, -2f, 3.4028235e38f], Values(response, "f32_out").Select(e => e.ValueKind == JsonValueKind.Null ? (float?)null : e.GetSingle()));
        Assert.Equal([0.1, null, 1e300, -4], Values(response, "f64_out").Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()));
        Assert.Equal(I32, Values(response, "i32_out").Select(e => e.GetInt32()));
        Assert.Equal(I64, Values(response, "i64_out").Select(e => e.GetInt64()));
        Assert.Equal(Flag, Values(response, "flag_out").Select(e => e.GetBoolean()));
        Assert.Equal([false, true, false, false], Values(response, "f32_missing").Select(e => e.GetBoolean()));
        Assert.Equal([false, true, false, false], Values(response, "f64_missing").Select(e => e.GetBoolean()));
        AssertOutput(response, "f64_out", "FP64");
        AssertOutput(response, "i32_out", "INT32");
        AssertOutput(response, "i64_out", "INT64");
        AssertOutput(response, "flag_out", "BOOL");
        if (withStrings)
        {
            AssertOutput(response, "text_out", "BYTES");
            Assert.Equal(Text, Values(response, "text_out").Select(e => e.GetString()));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_datatype_round_trips_through_the_binary_extension(bool withStrings)
    {
        await using var server = await StartAsync(withStrings);

        using var response = await server.Client.PostAsync("/v2/models/fashion-mnist/infer",
            Binary(BinaryInputs(withStrings), new JsonObject { ["parameters"] = new JsonObject { ["binary_data_output"] = true } }));
        var (header, outputs) = await ReadBinaryAsync(response);

        // Binary keeps NaN exactly, bit for bit.
        Assert.Equal(MemoryMarshal.AsBytes(F32.AsSpan()).ToArray(), outputs["f32_out"]);
        Assert.Equal(MemoryMarshal.AsBytes(F64.AsSpan()).ToArray(), outputs["f64_out"]);
        Assert.Equal(I32, MemoryMarshal.Cast<byte, int>(outputs["i32_out"]).ToArray());
        Assert.Equal(I64, MemoryMarshal.Cast<byte, long>(outputs["i64_out"]).ToArray());
        Assert.Equal([1, 0, 0, 1], outputs["flag_out"]);
        Assert.Equal([0, 1, 0, 0], outputs["f32_missing"]);
        if (withStrings)
        {
            Assert.Equal(Text, Strings(outputs["text_out"]));
            AssertOutput(header, "text_out", "BYTES");
        }
    }

    [Fact]
    public async Task JSON_and_binary_inputs_mix_in_one_request_and_outputs_choose_their_own_form()
    {
        await using var server = await StartAsync(withStrings: true);
        var binary = BinaryInputs().Where(i => i.Name is "text" or "i64").ToArray();
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(JsonInputs().Where(i => (string?)i!["name"] is not ("text" or "i64")).Select(i => i!.DeepClone())
                .Concat(binary.Select(i => (JsonNode)new JsonObject
                {
                    ["name"] = i.Name, ["datatype"] = i.Datatype, ["shape"] = new JsonArray(2, 2),
                    ["parameters"] = new JsonObject { ["binary_data_size"] = i.Bytes.Length },
                })).ToArray()),
            ["outputs"] = new JsonArray(
                new JsonObject { ["name"] = "text_out", ["parameters"] = new JsonObject { ["binary_data"] = true } },
                new JsonObject { ["name"] = "i64_out" }),
        };

        using var response = await server.Client.PostAsync("/v2/models/fashion-mnist/infer",
            InferRequests.BinaryBody(System.Text.Encoding.UTF8.GetBytes(header.ToJsonString()), binary.SelectMany(i => i.Bytes).ToArray()));
        var (json, outputs) = await ReadBinaryAsync(response);

        Assert.Equal(Text, Strings(outputs["text_out"]));
        Assert.Equal(I64, InferRequests.Longs(Output(json, "i64_out").GetProperty("data")));
        Assert.Equal(2, json.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public async Task A_tabular_model_takes_named_string_and_float_inputs_and_imputes_a_missing_value()
    {
        var options = TestServer.DefaultOptions(fixture) with { ModelPath = DatatypeModels.WriteTabular(fixture.TempFile("tabular.onnx")) };
        await using var server = await TestServer.StartAsync(fixture, options);

        var response = await ReadJsonAsync(await server.Client.PostAsync("/v2/models/fashion-mnist/infer", InferRequests.Content("""
            {"inputs": [
              {"name": "bill_length_mm", "datatype": "FP32", "shape": [3, 1], "data": [[39.1], [null], [46.5]]},
              {"name": "island", "datatype": "BYTES", "shape": [3, 1], "data": [["Torgersen"], ["Biscoe"], ["Dream"]]}]}
            """)));

        Assert.Equal([39.1f, 39.1f, DatatypeModels.BillLengthMean, DatatypeModels.BillLengthMean, 46.5f, 46.5f],
            Values(response, "probabilities").Select(e => e.GetSingle()));
        Assert.Equal(["Torgersen", "Biscoe", "Dream"], Values(response, "label").Select(e => e.GetString()));
        Assert.Equal([3], Output(response, "label").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("BYTES", Output(response, "label").GetProperty("datatype").GetString());
    }

    [Fact]
    public async Task Concurrent_requests_of_every_datatype_are_merged_and_each_gets_its_own_rows()
    {
        var options = Options(withStrings: true) with
        {
            DynamicBatching = true, DynamicBatchMaxSize = 8, DynamicBatchMaxQueueDelayMicroseconds = 10_000_000,
        };
        await using var server = await TestServer.StartAsync(fixture, options);
        // Four requests of two rows fill the batch of eight, so the merged run starts without waiting for the delay.
        var bodies = Enumerable.Range(0, 4).Select(Request).ToArray();

        var responses = await Task.WhenAll(bodies.Select(b => server.Client.PostAsync("/v2/models/fashion-mnist/infer", InferRequests.Content(b))));

        for (var r = 0; r < bodies.Length; r++)
        {
            var response = await ReadJsonAsync(responses[r]);
            Assert.Equal(Enumerable.Range(0, 4).Select(i => $"request {r} element {i}"), Values(response, "text_out").Select(e => e.GetString()));
            Assert.Equal(Enumerable.Range(0, 4).Select(i => 1000L * r + i), Values(response, "i64_out").Select(e => e.GetInt64()));
        }

        var metrics = await server.GetMetricsAsync();
        Assert.Equal(1, metrics["nv_inference_exec_count"]);
        Assert.Equal(8, metrics["nv_inference_count"]);

        static JsonObject Request(int r)
        {
            var inputs = JsonInputs();
            inputs.Single(i => (string?)i!["name"] == "text")!["data"] = new JsonArray(Enumerable.Range(0, 4).Select(i => (JsonNode)$"request {r} element {i}").ToArray());
            inputs.Single(i => (string?)i!["name"] == "i64")!["data"] = new JsonArray(Enumerable.Range(0, 4).Select(i => (JsonNode)(1000L * r + i)).ToArray());
            return new JsonObject { ["inputs"] = inputs };
        }
    }

    private Task<TestServer> StartAsync(bool withStrings) => TestServer.StartAsync(fixture, Options(withStrings));

    private Serving.Server.Configuration.ServerOptions Options(bool withStrings) => TestServer.DefaultOptions(fixture) with
    {
        ModelPath = DatatypeModels.Write(fixture.TempFile(withStrings ? "all-types.onnx" : "numeric-types.onnx"), withStrings),
    };

    private static JsonElement[] Values(JsonElement response, string output) =>
        Output(response, output).GetProperty("data").EnumerateArray().ToArray();

    private static void AssertOutput(JsonElement response, string name, string datatype)
    {
        var output = Output(response, name);
        Assert.Equal(datatype, output.GetProperty("datatype").GetString());
        Assert.Equal([2, 2], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
    }
}
