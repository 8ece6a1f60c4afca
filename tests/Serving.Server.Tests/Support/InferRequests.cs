using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serving.Server.Tests.Support;

/// <summary>Builds Open Inference Protocol request bodies the way clients write them.</summary>
public static class InferRequests
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    /// <summary>A request for the "input" tensor with flat data.</summary>
    public static JsonObject Json(float[] pixels, string? id = null)
    {
        var rows = pixels.Length / TestModels.Features;
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "input",
                ["shape"] = new JsonArray(rows, TestModels.Features),
                ["datatype"] = "FP32",
                ["data"] = new JsonArray(pixels.Select(p => (JsonNode)p).ToArray()),
            }),
        };
        if (id is not null) request["id"] = id;
        return request;
    }

    /// <summary>The same request with data nested row by row: [[row 0], [row 1], ...].</summary>
    public static JsonObject NestedJson(float[] pixels)
    {
        var request = Json(pixels);
        var rows = pixels.Chunk(TestModels.Features).Select(row => (JsonNode)new JsonArray(row.Select(p => (JsonNode)p).ToArray()));
        request["inputs"]![0]!["data"] = new JsonArray(rows.ToArray());
        return request;
    }

    public static StringContent Content(JsonNode request) => Content(request.ToJsonString());

    public static StringContent Content(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// A binary tensor extension body: the JSON header (input with binary_data_size), then the raw little-endian
    /// floats; Inference-Header-Content-Length gives the header's length.
    /// </summary>
    public static ByteArrayContent Binary(float[] pixels, JsonObject? extra = null)
    {
        var rows = pixels.Length / TestModels.Features;
        var bytes = MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray();
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "input",
                ["shape"] = new JsonArray(rows, TestModels.Features),
                ["datatype"] = "FP32",
                ["parameters"] = new JsonObject { ["binary_data_size"] = bytes.Length },
            }),
        };
        foreach (var (key, value) in extra ?? []) header[key] = value?.DeepClone();
        return BinaryBody(Encoding.UTF8.GetBytes(header.ToJsonString()), bytes);
    }

    public static ByteArrayContent BinaryBody(byte[] header, byte[] binary, string? headerLength = null)
    {
        var content = new ByteArrayContent([.. header, .. binary]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add(HeaderLengthHeader, headerLength ?? header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    public static float[] Floats(JsonElement data) => Flatten(data).Select(e => e.GetSingle()).ToArray();

    public static long[] Longs(JsonElement data) => Flatten(data).Select(e => e.GetInt64()).ToArray();

    private static IEnumerable<JsonElement> Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten) : [element];
}
