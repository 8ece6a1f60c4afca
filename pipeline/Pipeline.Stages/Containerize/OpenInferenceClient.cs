using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pipeline.Stages;

/// <summary>One inference answer: the probabilities and labels the server returned, row-major; labels as text (class index or label value).</summary>
public sealed record InferenceAnswer(string ModelVersion, float[] Probabilities, string[] Labels);

/// <summary>
/// The few Open Inference Protocol calls the pipeline makes against a running server (readiness, metadata, JSON infer).
/// Smoke tests use it; it sends exactly what any KServe V2 client would, with <paramref name="apiKey"/> as a bearer
/// token on the protected calls (metadata, infer). Readiness stays keyless, as the server's probes are open.
/// </summary>
public sealed class OpenInferenceClient(HttpClient http, string modelName, Pipeline.IO.ServingApiKey? apiKey = null)
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
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, $"/v2/models/{modelName}"));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET /v2/models/{modelName} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        using var metadata = JsonDocument.Parse(body);
        return metadata.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public Task<InferenceAnswer> InferAsync(ReadOnlyMemory<float> rows, int featureCount, CancellationToken cancellationToken) =>
        PostAsync(OpenInferenceJson.InferRequest(rows.Span, featureCount), cancellationToken);

    public Task<InferenceAnswer> InferAsync(IReadOnlyList<Pipeline.OnnxRuntime.NamedTensor> inputs, CancellationToken cancellationToken) =>
        PostAsync(OpenInferenceJson.InferRequest(inputs), cancellationToken);

    private async Task<InferenceAnswer> PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{modelName}/infer") { Content = new ByteArrayContent(body) });
        request.Content!.Headers.ContentType = new("application/json");
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /v2/models/{modelName}/infer answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer)}");
        return OpenInferenceJson.ParseAnswer(answer);
    }

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (apiKey is not null) request.Headers.Authorization = new("Bearer", apiKey.Secret);
        return request;
    }
}
