using System.Text.Json;

namespace Pipeline.Stages;

/// <summary>
/// The Open Inference Protocol's JSON infer request and response as the pipeline's model speaks them: one FP32 input
/// "input" of shape [N, features]; outputs "probabilities" [N, classes] and "label" [N]. The smoke test, the load test
/// and Deploy all build and read exactly these bodies.
/// </summary>
public static class OpenInferenceJson
{
    public static byte[] InferRequest(ReadOnlySpan<float> rows, int featureCount, string? id = null)
    {
        if (featureCount < 1 || rows.Length % featureCount != 0)
            throw new ArgumentException($"{rows.Length} values are not whole rows of {featureCount} features.", nameof(rows));
        var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id", id ?? Guid.NewGuid().ToString("N"));
            json.WriteStartArray("inputs");
            json.WriteStartObject();
            json.WriteString("name", "input");
            json.WriteString("datatype", "FP32");
            json.WriteStartArray("shape");
            json.WriteNumberValue(rows.Length / featureCount);
            json.WriteNumberValue(featureCount);
            json.WriteEndArray();
            json.WriteStartArray("data");
            foreach (var value in rows) json.WriteNumberValue(value);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return body.ToArray();
    }

    /// <summary>Reads an infer response; a body that is not one names what is missing.</summary>
    public static InferenceAnswer ParseAnswer(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var answer = JsonDocument.ParseValue(ref reader);
        var root = answer.RootElement;
        if (!root.TryGetProperty("outputs", out var outputsElement) || outputsElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("The infer response has no \"outputs\" array.");
        var outputs = outputsElement.EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString() ?? "");
        if (!outputs.TryGetValue("probabilities", out var probabilities) || !outputs.TryGetValue("label", out var labels))
            throw new InvalidDataException($"The infer response has outputs [{string.Join(", ", outputs.Keys)}], not probabilities and label.");
        return new InferenceAnswer(
            root.TryGetProperty("model_version", out var version) ? version.GetString() ?? "" : "",
            probabilities.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
            labels.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray());
    }
}
