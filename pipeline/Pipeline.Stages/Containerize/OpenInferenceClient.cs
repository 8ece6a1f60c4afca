using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pipeline.Stages;

/// <summary>One inference answer: the probabilities and labels the server returned, row-major.</summary>
public sealed record InferenceAnswer(string ModelVersion, float[] Probabilities, long[] Labels);

/// <summary>
/// The few Open Inference Protocol calls the pipeline makes against a running server (readiness, metadata, JSON infer).
/// Smoke tests use it; it sends exactly what any KServe V2 client would.
/// </summary>
public sealed class OpenInferenceClient(HttpClient http, string modelName)
{
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/v2/health/ready", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> ModelVersionsAsync(CancellationToken cancellationToken)
    {
        using var metadata = JsonDocument.Parse(await http.GetStringAsync($"/v2/models/{modelName}", cancellationToken));
        return metadata.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public async Task<InferenceAnswer> InferAsync(ReadOnlyMemory<float> rows, int featureCount, CancellationToken cancellationToken)
    {
        var count = rows.Length / featureCount;
        var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id", Guid.NewGuid().ToString("N"));
            json.WriteStartArray("inputs");
            json.WriteStartObject();
            json.WriteString("name", "input");
            json.WriteString("datatype", "FP32");
            json.WriteStartArray("shape");
            json.WriteNumberValue(count);
            json.WriteNumberValue(featureCount);
            json.WriteEndArray();
            json.WriteStartArray("data");
            foreach (var value in rows.Span) json.WriteNumberValue(value);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new("application/json");
        using var response = await http.PostAsync($"/v2/models/{modelName}/infer", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /v2/models/{modelName}/infer answered {(int)response.StatusCode}: {text}");

        using var answer = JsonDocument.Parse(text);
        var outputs = answer.RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        return new InferenceAnswer(
            answer.RootElement.GetProperty("model_version").GetString() ?? "",
            outputs["probabilities"].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
            outputs["label"].GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray());
    }
}
