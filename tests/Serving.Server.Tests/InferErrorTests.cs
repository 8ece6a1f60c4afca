using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class InferErrorTests(ServingFixture fixture)
{
    private const int MaxBatch = 4;

    public static TheoryData<string, string, string> BadJsonRequests => new()
    {
        { "malformed JSON", """{"inputs": [""", "The request body is not valid JSON" },
        { "not an object", """[1, 2]""", "must be a JSON object" },
        { "content after the object", """{"inputs": []} {}""", "not valid JSON" },
        { "no inputs", """{"inputs": []}""", "The request has no inputs; model 'fashion-mnist' needs: input." },
        { "unknown input", Request(name: "pixels"), "Unknown input 'pixels'; model 'fashion-mnist' has inputs: input." },
        { "more inputs than the model has", """{"inputs": [INPUT, INPUT]}""".Replace("INPUT", Input()), "The request has more than 1 inputs; the model takes 1." },
        { "wrong datatype", Request(datatype: "INT32"), "Input 'input' has datatype 'INT32', but the model expects FP32." },
        { "missing datatype", Request(datatype: null), "Input 'input' has no \"datatype\"; the model expects FP32." },
        { "wrong rank", Request(shape: "[784]"), "Input 'input' has shape [784] (rank 1), but the model expects rank 2: [-1, 784]" },
        { "wrong feature dimension", Request(shape: "[1, 783]", values: 783), "Input 'input' has shape [1, 783], but dimension 1 must be 784" },
        { "negative dimension", Request(shape: "[-1, 784]"), "Input 'input' shape must hold non-negative integers." },
        { "batch of zero", Request(shape: "[0, 784]", values: 0), "Input 'input' has batch size 0; send at least one row." },
        { "batch over the limit", Request(shape: "[5, 784]", values: 5 * 784), "Input 'input' has batch size 5, but this server accepts at most 4 rows per request" },
        { "too few values", Request(values: 783), "Input 'input' has 783 values, but shape [1, 784] needs 784." },
        { "too many values", Request(values: 785), "Input 'input' has 785 values, but shape [1, 784] needs 784." },
        { "value beyond FP32", Request(firstValue: "1e39"), "Input 'input' holds a non-finite value (Infinity) at element 0; inputs must be finite FP32 numbers, or NaN (JSON null) for a missing value." },
        { "string in data", Request(firstValue: "\"NaN\""), "Input 'input' data must hold only numbers (flat or nested arrays); element 0 is a string." },
        { "data missing", Request(values: -1), "Input 'input' has no \"data\" (and no binary_data_size parameter)." },
        { "unknown output", Request(outputs: """[{"name": "logits"}]"""), "Unknown output 'logits'; model 'fashion-mnist' has outputs: probabilities, label." },
        { "output asked twice", Request(outputs: """[{"name": "label"}, {"name": "label"}]"""), "Output 'label' is requested more than once." },
        { "inputs not an array", """{"inputs": {"name": "input"}}""", "\"inputs\" must be an array of input objects; found an object." },
        { "shape not an array", Request(shape: "\"1x784\""), "Input 'input' shape must be an array of integers; found a string." },
        { "data not an array", """{"inputs": [{"name": "input", "shape": [1, 784], "datatype": "FP32", "data": 5}]}""", "Input 'input' data must be an array of numbers; found a number." },
        { "id not a string", """{"id": 5, "inputs": []}""", "\"id\" must be a string; found a number." },
    };

    [Theory]
    [MemberData(nameof(BadJsonRequests))]
    public async Task Bad_requests_get_400_with_a_message_saying_what_is_wrong(string what, string body, string message)
    {
        await using var server = await StartAsync();

        var error = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(body)), HttpStatusCode.BadRequest);

        Assert.True(error.Contains(message, StringComparison.Ordinal), $"{what}: expected '{message}' in '{error}'");
        // The server is unharmed and counted the failure.
        var pixels = TestModels.Pixels(1, seed: 30);
        AssertMatchesReference(await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels)))), fixture.Reference, pixels);
        var metrics = await server.GetMetricsAsync();
        Assert.Equal(1, metrics["nv_inference_request_failure"]);
        Assert.Equal(1, metrics["nv_inference_request_success"]);
        Assert.Equal(0, metrics["nv_inference_pending_request_count"]);
    }

    [Fact]
    public async Task Infinite_binary_values_are_refused()
    {
        await using var server = await StartAsync();
        var pixels = TestModels.Pixels(1, seed: 31);
        pixels[17] = float.NegativeInfinity;

        var error = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Binary(pixels)), HttpStatusCode.BadRequest);

        Assert.Equal("Input 'input' holds a non-finite value (-Infinity) at element 17; inputs must be finite FP32 numbers, or NaN (JSON null) for a missing value.", error);
    }

    [Fact]
    public async Task Binary_sizes_that_do_not_add_up_are_refused()
    {
        await using var server = await StartAsync();
        var pixels = TestModels.Pixels(1, seed: 32);
        var bytes = MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray();
        byte[] Header(long size) => Encoding.UTF8.GetBytes(
            $$$"""{"inputs": [{"name": "input", "shape": [1, 784], "datatype": "FP32", "parameters": {"binary_data_size": {{{size}}}}}]}""");

        var wrongSize = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.BinaryBody(Header(100), bytes[..100])), HttpStatusCode.BadRequest);
        var short_ = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.BinaryBody(Header(3136), bytes[..3000])), HttpStatusCode.BadRequest);
        var extra = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.BinaryBody(Header(3136), [.. bytes, 1, 2])), HttpStatusCode.BadRequest);
        var badHeader = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.BinaryBody(Header(3136), bytes, headerLength: "999999")), HttpStatusCode.BadRequest);
        var noHeader = new ByteArrayContent([.. Header(3136), .. bytes]);
        var missingHeader = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, noHeader), HttpStatusCode.BadRequest);

        Assert.Equal("Input 'input' has binary_data_size 100, but shape [1, 784] of FP32 needs 3136 bytes.", wrongSize);
        Assert.Equal("Input 'input' declares 3136 binary bytes, but only 3000 remain after the JSON header and earlier inputs.", short_);
        Assert.Equal("The request has 3138 bytes after its JSON header, but its inputs declare 3136 bytes of binary_data_size.", extra);
        Assert.StartsWith("Inference-Header-Content-Length '999999' must be a whole number from 1 to the body length", badHeader);
        // Without the header the whole body is taken as JSON, and the binary bytes after it are not JSON.
        Assert.Contains("not valid JSON", missingHeader);
    }

    [Fact]
    public async Task Bodies_over_the_size_limit_get_413_whether_or_not_their_length_is_declared()
    {
        var options = TestServer.DefaultOptions(fixture) with { MaxRequestBodyBytes = 64 * 1024 };
        await using var server = await TestServer.StartAsync(fixture, options);
        var large = InferRequests.Json(TestModels.Pixels(rows: 30, seed: 33)).ToJsonString();
        // Over the limit, but within the twice-the-limit the server drains so the client reads a clean 413.
        Assert.InRange(Encoding.UTF8.GetByteCount(large), options.MaxRequestBodyBytes + 1, 2 * options.MaxRequestBodyBytes);

        var declared = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(large)), HttpStatusCode.RequestEntityTooLarge);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, server.InferPath) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large))) };
        chunked.Headers.TransferEncodingChunked = true;
        var streamed = await ReadErrorAsync(await server.Client.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge);

        Assert.Matches(@"^The request body is \d+ bytes, over this server's limit of 65536 bytes; send fewer rows per request\.$", declared);
        Assert.Equal("The request body exceeds this server's limit of 65536 bytes; send fewer rows per request.", streamed);
        var pixels = TestModels.Pixels(1, seed: 34);
        AssertMatchesReference(await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels)))), fixture.Reference, pixels);
    }

    [Fact]
    public async Task An_empty_body_is_refused()
    {
        await using var server = await StartAsync();

        var error = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, new ByteArrayContent([])), HttpStatusCode.BadRequest);

        Assert.Equal("The request body is empty; send an inference request JSON object.", error);
    }

    private Task<TestServer> StartAsync() =>
        TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { MaxBatchSize = MaxBatch });

    private static string Input(string name = "input", string? datatype = "FP32", string shape = "[1, 784]", int values = 784, string firstValue = "1")
    {
        var data = values < 0 ? "" : $", \"data\": [{string.Join(", ", Enumerable.Range(0, values).Select(i => i == 0 ? firstValue : "2"))}]";
        var type = datatype is null ? "" : $", \"datatype\": \"{datatype}\"";
        return $$"""{"name": "{{name}}", "shape": {{shape}}{{type}}{{data}}}""";
    }

    private static string Request(string name = "input", string? datatype = "FP32", string shape = "[1, 784]", int values = 784,
        string firstValue = "1", string? outputs = null) =>
        new JsonObject
        {
            ["inputs"] = new JsonArray(JsonNode.Parse(Input(name, datatype, shape, values, firstValue))),
            ["outputs"] = outputs is null ? null : JsonNode.Parse(outputs),
        }.ToJsonString().Replace(",\"outputs\":null", "");
}
