using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.DatatypeRequests;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

/// <summary>Bad input of any datatype gets a 400 whose message names the input, says what is wrong and what is expected.</summary>
[Collection(ServingCollection.Name)]
public sealed class DatatypeErrorTests(ServingFixture fixture)
{
    private const string Infer = "/v2/models/fashion-mnist/infer";
    private const int MaxBatch = 8;

    /// <summary>What is done to the valid request (an input replaced, renamed or removed) and the message expected.</summary>
    public static TheoryData<string, string, string?, string> BadJsonInputs => new()
    {
        { "wrong datatype", "i64", """{"name": "i64", "datatype": "INT32", "shape": [2, 2], "data": [1, 2, 3, 4]}""",
            "Input 'i64' has datatype 'INT32', but the model expects INT64." },
        { "wrong datatype after the data", "flag", """{"name": "flag", "shape": [2, 2], "data": [true, true, true, true], "datatype": "FP32"}""",
            "Input 'flag' has datatype 'FP32', but the model expects BOOL." },
        { "wrong shape", "text", """{"name": "text", "datatype": "BYTES", "shape": [2, 3], "data": ["a", "b", "c", "d", "e", "f"]}""",
            "Input 'text' has shape [2, 3], but dimension 1 must be 2 (the model expects [-1, 2])." },
        { "batch size differs from the other inputs", "text", """{"name": "text", "datatype": "BYTES", "shape": [1, 2], "data": ["a", "b"]}""",
            "Input 'text' has batch size 1, but input 'f32' has 2; all inputs need the same batch size." },
        { "too few elements", "f64", """{"name": "f64", "datatype": "FP64", "shape": [2, 2], "data": [1, 2, 3]}""",
            "Input 'f64' has 3 values, but shape [2, 2] needs 4." },
        { "more elements than any allowed shape", "text", """{"name": "text", "datatype": "BYTES", "shape": [2, 2], "data": [STRINGS]}""",
            "Input 'text' has more than 16 values: at most 8 rows of shape [-1, 2] fit in one request." },
        { "missing input", "flag", null, "Input 'flag' is missing; model 'fashion-mnist' needs: f32, f64, i32, i64, flag, text." },
        { "unknown input", "flag", """{"name": "species", "datatype": "BOOL", "shape": [2, 2], "data": [true, true, true, true]}""",
            "Unknown input 'species'; model 'fashion-mnist' has inputs: f32, f64, i32, i64, flag, text." },
        { "string for FP32", "f32", """{"name": "f32", "datatype": "FP32", "shape": [2, 2], "data": ["1", 2, 3, 4]}""",
            "Input 'f32' data must hold only numbers (flat or nested arrays); element 0 is a string. FP32 takes numbers, or null for a missing value." },
        { "string for FP64", "f64", """{"name": "f64", "datatype": "FP64", "shape": [2, 2], "data": [1, "2", 3, 4]}""",
            "Input 'f64' (FP64) element 1 is a string, but FP64 takes numbers, or null for a missing value." },
        { "string for INT32", "i32", """{"name": "i32", "datatype": "INT32", "shape": [2, 2], "data": [[1, 2], [3, "4"]]}""",
            "Input 'i32' (INT32) element 3 is a string, but INT32 takes integers." },
        { "fraction for INT64", "i64", """{"name": "i64", "datatype": "INT64", "shape": [2, 2], "data": [1, 2.5, 3, 4]}""",
            "Input 'i64' (INT64) element 1 is 2.5, not an integer; INT64 takes whole numbers written without a fraction or exponent." },
        { "exponent for INT64", "i64", """{"name": "i64", "datatype": "INT64", "shape": [2, 2], "data": [1e3, 2, 3, 4]}""",
            "Input 'i64' (INT64) element 0 is 1e3, not an integer" },
        { "INT64 out of range", "i64", """{"name": "i64", "datatype": "INT64", "shape": [2, 2], "data": [1, 2, 3, 9223372036854775808]}""",
            "Input 'i64' (INT64) element 3 is 9223372036854775808, outside the INT64 range -9223372036854775808 to 9223372036854775807." },
        { "INT32 out of range", "i32", """{"name": "i32", "datatype": "INT32", "shape": [2, 2], "data": [2147483648, 2, 3, 4]}""",
            "Input 'i32' (INT32) element 0 is 2147483648, outside the INT32 range -2147483648 to 2147483647." },
        { "null for INT32", "i32", """{"name": "i32", "datatype": "INT32", "shape": [2, 2], "data": [1, null, 3, 4]}""",
            "Input 'i32' (INT32) element 1 is null, but only FP32 and FP64 take null (a missing value); INT32 takes integers." },
        { "null for BOOL", "flag", """{"name": "flag", "datatype": "BOOL", "shape": [2, 2], "data": [true, false, null, true]}""",
            "Input 'flag' (BOOL) element 2 is null, but only FP32 and FP64 take null (a missing value); BOOL takes true or false." },
        { "null for BYTES", "text", """{"name": "text", "datatype": "BYTES", "shape": [2, 2], "data": ["a", "b", "c", null]}""",
            "Input 'text' (BYTES) element 3 is null, but only FP32 and FP64 take null (a missing value); BYTES takes strings." },
        { "number for BOOL", "flag", """{"name": "flag", "datatype": "BOOL", "shape": [2, 2], "data": [1, 0, 0, 1]}""",
            "Input 'flag' (BOOL) element 0 is a number, but BOOL takes true or false." },
        { "number for BYTES", "text", """{"name": "text", "datatype": "BYTES", "shape": [2, 2], "data": ["a", 2, "c", "d"]}""",
            "Input 'text' (BYTES) element 1 is a number, but BYTES takes strings." },
        { "a second name after the data", "i64", """{"name": "f32", "datatype": "FP32", "shape": [2, 2], "data": [1, 2, 3, 4], "name": "i64"}""",
            "Input 'f32' has \"name\" more than once; give each input one name." },
        { "data not an array", "text", """{"name": "text", "datatype": "BYTES", "shape": [2, 2], "data": "abcd"}""",
            "Input 'text' data must be an array (strings); found a string." },
        { "infinity in FP64", "f64", """{"name": "f64", "datatype": "FP64", "shape": [2, 2], "data": [1, 2, 3, 1e309]}""",
            "Input 'f64' holds a non-finite value (Infinity) at element 3; inputs must be finite FP64 numbers, or NaN (JSON null) for a missing value." },
    };

    [Theory]
    [MemberData(nameof(BadJsonInputs))]
    public async Task Bad_JSON_inputs_get_400_naming_the_input(string what, string target, string? replacement, string message)
    {
        await using var server = await StartAsync();
        var inputs = JsonInputs();
        var index = inputs.IndexOf(inputs.Single(i => (string?)i!["name"] == target));
        inputs.RemoveAt(index);
        if (replacement is not null)
            inputs.Insert(index, JsonNode.Parse(replacement.Replace("STRINGS", string.Join(", ", Enumerable.Repeat("\"x\"", 17)))));

        var error = await ReadErrorAsync(await server.Client.PostAsync(Infer, InferRequests.Content(new JsonObject { ["inputs"] = inputs })), HttpStatusCode.BadRequest);

        Assert.True(error.StartsWith(message, StringComparison.Ordinal), $"{what}: expected '{message}', got '{error}'");
        // The server is unharmed.
        await ReadJsonAsync(await server.Client.PostAsync(Infer, InferRequests.Content(new JsonObject { ["inputs"] = JsonInputs() })));
    }

    public static TheoryData<string, string, byte[], string> BadBinaryInputs => new()
    {
        { "invalid UTF-8", "text", LengthPrefixed([[0x61], [0xC3, 0x28], [], [0x62]]),
            "Input 'text' (BYTES) binary element 1 is not valid UTF-8; the model's string input takes UTF-8 text." },
        { "a length prefix past the end", "text", LengthPrefixed([[0x61], [0x62], [0x63]]).Concat(new byte[] { 0xE8, 0x03, 0, 0, 0x64 }).ToArray(),
            "Input 'text' (BYTES) binary element 3 has a length prefix of 1000 bytes, past the end of its binary_data_size (1 bytes remain)" },
        { "a truncated length prefix", "text", LengthPrefixed([[0x61], [0x62], [0x63]]).Concat(new byte[] { 1, 0 }).ToArray(),
            "Input 'text' (BYTES) binary data ends at byte 17 before element 3 of 4" },
        { "bytes after the last element", "text", LengthPrefixed([[0x61], [0x62], [0x63], [0x64], [0x65]]),
            "Input 'text' (BYTES) has binary_data_size 25, but its 4 elements end after 20 bytes; send exactly the elements its shape needs." },
        { "a BOOL byte that is neither 0 nor 1", "flag", [1, 2, 0, 1],
            "Input 'flag' (BOOL) binary element 1 is the byte 2; BOOL elements are one byte each, 0 (false) or 1 (true)." },
        { "INT64 of the wrong size", "i64", new byte[16],
            "Input 'i64' has binary_data_size 16, but shape [2, 2] of INT64 needs 32 bytes." },
    };

    [Theory]
    [MemberData(nameof(BadBinaryInputs))]
    public async Task Bad_binary_inputs_get_400_naming_the_input(string what, string target, byte[] bytes, string message)
    {
        await using var server = await StartAsync();
        var inputs = BinaryInputs().Select(i => i.Name == target ? (i.Name, i.Datatype, bytes) : i).ToArray();

        var error = await ReadErrorAsync(await server.Client.PostAsync(Infer, Binary(inputs)), HttpStatusCode.BadRequest);

        Assert.True(error.StartsWith(message, StringComparison.Ordinal), $"{what}: expected '{message}', got '{error}'");
        await ReadJsonAsync(await server.Client.PostAsync(Infer, Binary(BinaryInputs())));
    }

    [Fact]
    public async Task Invalid_UTF8_in_JSON_strings_is_refused()
    {
        await using var server = await StartAsync();
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["inputs"] = JsonInputs() }.ToJsonString().Replace("Biscoe", "Bisc#e"));
        // A lone UTF-8 continuation byte inside the string "Biscoe".
        body[Array.IndexOf(body, (byte)'#')] = 0x80;

        var data = await ReadErrorAsync(await server.Client.PostAsync(Infer, new ByteArrayContent(body)), HttpStatusCode.BadRequest);
        var id = await ReadErrorAsync(await server.Client.PostAsync(Infer, new ByteArrayContent([.. "{\"id\": \"a"u8, 0xC3, .. "\", \"inputs\": []}"u8])), HttpStatusCode.BadRequest);

        Assert.Equal("Input 'text' (BYTES) element 0 is not valid UTF-8; JSON text must be UTF-8.", data);
        Assert.Equal("The request body is not valid JSON: a string in it is not valid UTF-8.", id);
    }

    [Fact]
    public async Task Strings_cannot_bypass_the_body_size_limit()
    {
        var options = Options() with { MaxRequestBodyBytes = 16 * 1024 };
        await using var server = await TestServer.StartAsync(fixture, options);
        var inputs = JsonInputs();
        inputs.Single(i => (string?)i!["name"] == "text")!["data"] = new JsonArray("a", new string('x', 20_000), "c", "d");
        var binary = BinaryInputs().Select(i => i.Name == "text" ? (i.Name, i.Datatype, LengthPrefixed([[1], new byte[20_000], [2], [3]])) : i).ToArray();

        var json = await ReadErrorAsync(await server.Client.PostAsync(Infer, InferRequests.Content(new JsonObject { ["inputs"] = inputs })), HttpStatusCode.RequestEntityTooLarge);
        var binaryError = await ReadErrorAsync(await server.Client.PostAsync(Infer, Binary(binary)), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("over this server's limit of 16384 bytes", json);
        Assert.Contains("over this server's limit of 16384 bytes", binaryError);
    }

    private Task<TestServer> StartAsync() => TestServer.StartAsync(fixture, Options());

    private Serving.Server.Configuration.ServerOptions Options() => TestServer.DefaultOptions(fixture) with
    {
        ModelPath = DatatypeModels.Write(fixture.TempFile("all-types.onnx"), withStrings: true),
        MaxBatchSize = MaxBatch,
    };
}
