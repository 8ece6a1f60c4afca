using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serving.Server.Tests.Support;

/// <summary>
/// Requests for <see cref="DatatypeModels"/>: two rows of each datatype, including the edges that break naive code
/// (a missing float, integers beyond a double's precision, non-ASCII and escaped text).
/// </summary>
public static class DatatypeRequests
{
    public static readonly float[] F32 = [1.5f, float.NaN, -2f, 3.4028235e38f];
    public static readonly double[] F64 = [0.1, double.NaN, 1e300, -4];
    public static readonly int[] I32 = [int.MaxValue, int.MinValue, 0, 7];
    public static readonly long[] I64 = [9007199254740993, long.MinValue, 1, long.MaxValue];
    public static readonly bool[] Flag = [true, false, false, true];
    public static readonly string[] Text = ["Biscoe", "", "Dream ☃ 😀", "quote \" and \\ and\nnewline"];

    /// <summary>Each input as JSON, the float ones with null for NaN; <paramref name="withStrings"/> adds "text".</summary>
    public static JsonArray JsonInputs(bool withStrings = true)
    {
        var inputs = new JsonArray(
            Input("f32", "FP32", new JsonArray(Rows(F32.Select(v => float.IsNaN(v) ? null : (JsonNode)v)))),
            Input("f64", "FP64", new JsonArray(F64.Select(v => double.IsNaN(v) ? null : (JsonNode)v).ToArray())),
            Input("i32", "INT32", new JsonArray(I32.Select(v => (JsonNode)v).ToArray())),
            Input("i64", "INT64", new JsonArray(I64.Select(v => (JsonNode)v).ToArray())),
            Input("flag", "BOOL", new JsonArray(Rows(Flag.Select(v => (JsonNode)v)))));
        if (withStrings) inputs.Add(Input("text", "BYTES", new JsonArray(Text.Select(v => (JsonNode)v).ToArray())));
        return inputs;
    }

    public static JsonObject Input(string name, string datatype, JsonNode? data, string shape = "[2, 2]") => new()
    {
        ["name"] = name,
        ["datatype"] = datatype,
        ["shape"] = JsonNode.Parse(shape),
        ["data"] = data,
    };

    /// <summary>The binary tensor extension form of every input, in the order of <see cref="DatatypeModels.Inputs"/>.</summary>
    public static (string Name, string Datatype, byte[] Bytes)[] BinaryInputs(bool withStrings = true)
    {
        var inputs = new List<(string, string, byte[])>
        {
            ("f32", "FP32", MemoryMarshal.AsBytes(F32.AsSpan()).ToArray()),
            ("f64", "FP64", MemoryMarshal.AsBytes(F64.AsSpan()).ToArray()),
            ("i32", "INT32", MemoryMarshal.AsBytes(I32.AsSpan()).ToArray()),
            ("i64", "INT64", MemoryMarshal.AsBytes(I64.AsSpan()).ToArray()),
            ("flag", "BOOL", Flag.Select(b => b ? (byte)1 : (byte)0).ToArray()),
        };
        if (withStrings) inputs.Add(("text", "BYTES", LengthPrefixed(Text.Select(Encoding.UTF8.GetBytes))));
        return inputs.ToArray();
    }

    /// <summary>BYTES elements as the binary extension writes them: a 4-byte little-endian length, then the bytes.</summary>
    public static byte[] LengthPrefixed(IEnumerable<byte[]> elements)
    {
        var body = new MemoryStream();
        foreach (var element in elements)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)element.Length);
            body.Write(length);
            body.Write(element);
        }

        return body.ToArray();
    }

    /// <summary>A binary tensor extension request whose inputs all travel as binary data.</summary>
    public static ByteArrayContent Binary((string Name, string Datatype, byte[] Bytes)[] inputs, JsonObject? extra = null)
    {
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)new JsonObject
            {
                ["name"] = i.Name,
                ["datatype"] = i.Datatype,
                ["shape"] = new JsonArray(2, 2),
                ["parameters"] = new JsonObject { ["binary_data_size"] = i.Bytes.Length },
            }).ToArray()),
        };
        foreach (var (key, value) in extra ?? []) header[key] = value?.DeepClone();
        return InferRequests.BinaryBody(Encoding.UTF8.GetBytes(header.ToJsonString()), inputs.SelectMany(i => i.Bytes).ToArray());
    }

    /// <summary>Splits a binary response into its JSON header and each binary output's bytes, by name.</summary>
    public static async Task<(JsonElement Header, Dictionary<string, byte[]> Outputs)> ReadBinaryAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(body));
        var headerLength = int.Parse(response.Headers.GetValues(InferRequests.HeaderLengthHeader).Single(), CultureInfo.InvariantCulture);
        var header = JsonDocument.Parse(body.AsMemory(0, headerLength)).RootElement.Clone();
        var outputs = new Dictionary<string, byte[]>();
        var offset = headerLength;
        foreach (var output in header.GetProperty("outputs").EnumerateArray())
        {
            if (!output.TryGetProperty("parameters", out var parameters)) continue;
            var size = parameters.GetProperty("binary_data_size").GetInt32();
            outputs[output.GetProperty("name").GetString()!] = body[offset..(offset + size)];
            offset += size;
        }

        Assert.Equal(body.Length, offset);
        return (header, outputs);
    }

    /// <summary>Reads length-prefixed BYTES elements back.</summary>
    public static string[] Strings(byte[] binary)
    {
        var values = new List<string>();
        for (var offset = 0; offset < binary.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(binary.AsSpan(offset));
            values.Add(Encoding.UTF8.GetString(binary, offset + 4, length));
            offset += 4 + length;
        }

        return values.ToArray();
    }

    /// <summary>Values nested row by row, as clients with a 2-D array send them.</summary>
    private static JsonNode[] Rows(IEnumerable<JsonNode?> values) =>
        values.Chunk(DatatypeModels.Width).Select(row => (JsonNode)new JsonArray(row.ToArray())).ToArray();
}
