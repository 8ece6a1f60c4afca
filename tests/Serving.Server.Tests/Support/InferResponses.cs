using System.Net;
using System.Text.Json;

namespace Serving.Server.Tests.Support;

/// <summary>Reads server answers: JSON documents, binary tensor extension bodies and error messages.</summary>
public static class InferResponses
{
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and returns the {"error": "..."} message.</summary>
    public static async Task<string> ReadErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await ReadJsonAsync(response, expected);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return body.GetProperty("error").GetString()!;
    }

    public static JsonElement Output(JsonElement response, string name) =>
        response.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);

    /// <summary>Asserts the server's probabilities and labels match ONNX Runtime run directly on the same rows.</summary>
    public static void AssertMatchesReference(JsonElement response, ReferenceModel reference, float[] pixels)
    {
        var (probabilities, labels) = reference.Run(pixels);
        var rows = pixels.Length / TestModels.Features;
        var probabilitiesOutput = Output(response, "probabilities");
        Assert.Equal([rows, TestModels.Classes], probabilitiesOutput.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal("FP32", probabilitiesOutput.GetProperty("datatype").GetString());
        AssertClose(probabilities, InferRequests.Floats(probabilitiesOutput.GetProperty("data")));
        var labelOutput = Output(response, "label");
        Assert.Equal("INT64", labelOutput.GetProperty("datatype").GetString());
        Assert.Equal(labels, InferRequests.Longs(labelOutput.GetProperty("data")));
    }

    /// <summary>Merged runs may take another GEMM path than single rows: equal to float rounding, not bit for bit.</summary>
    public static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f + 1e-5f * Math.Abs(expected[i]), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
