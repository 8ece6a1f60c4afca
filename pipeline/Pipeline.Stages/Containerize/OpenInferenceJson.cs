using System.Globalization;
using System.Text.Json;
using Pipeline.OnnxRuntime;

namespace Pipeline.Stages;

/// <summary>
/// The Open Inference Protocol's JSON infer request and response as the pipeline's models speak them: one input per
/// named tensor with its OIP datatype (FP32, FP64, INT32, INT64, BOOL, BYTES; a missing float is JSON null), and
/// outputs "probabilities" [N, classes] and "label" [N] (numbers or strings). The smoke test, the load test and Deploy
/// all build and read exactly these bodies.
/// </summary>
public static class OpenInferenceJson
{
    public static byte[] InferRequest(IReadOnlyList<NamedTensor> inputs, string? id = null)
    {
        var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id", id ?? Guid.NewGuid().ToString("N"));
            json.WriteStartArray("inputs");
            foreach (var input in inputs)
            {
                json.WriteStartObject();
                json.WriteString("name", input.Name);
                json.WriteString("datatype", Datatype(input.Tensor));
                json.WriteStartArray("shape");
                foreach (var dim in input.Tensor.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data");
                WriteData(json, input.Tensor);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return body.ToArray();
    }

    /// <summary>One FP32 input named "input" of <paramref name="featureCount"/> values per row (the MLP's contract).</summary>
    public static byte[] InferRequest(ReadOnlySpan<float> rows, int featureCount, string? id = null)
    {
        if (featureCount < 1 || rows.Length % featureCount != 0)
            throw new ArgumentException($"{rows.Length} values are not whole rows of {featureCount} features.", nameof(rows));
        return InferRequest([NamedTensor.Create("input", rows.ToArray(), rows.Length / featureCount, featureCount)], id);
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
            labels.GetProperty("data").EnumerateArray().Select(LabelText).ToArray());
    }

    private static string LabelText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetInt64().ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"A label in the infer response is {value.ValueKind}; labels are integers or strings."),
    };

    /// <summary>The Open Inference Protocol datatype of a tensor the pipeline sends, the same for JSON and gRPC.</summary>
    internal static string Datatype(DenseTensor tensor) => tensor.ElementType switch
    {
        TensorElementType.Float => "FP32",
        TensorElementType.Double => "FP64",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.Bool => "BOOL",
        TensorElementType.String => "BYTES",
        var type => throw new NotSupportedException($"The pipeline sends FP32, FP64, INT32, INT64, BOOL and BYTES inputs, not {type}."),
    };

    private static void WriteData(Utf8JsonWriter json, DenseTensor tensor)
    {
        switch (tensor)
        {
            case DenseTensor<float> floats:
                // JSON has no NaN: a missing value goes as null, which the server reads back as NaN.
                foreach (var v in floats.Span) { if (float.IsNaN(v)) json.WriteNullValue(); else json.WriteNumberValue(v); }
                break;
            case DenseTensor<double> doubles:
                foreach (var v in doubles.Span) { if (double.IsNaN(v)) json.WriteNullValue(); else json.WriteNumberValue(v); }
                break;
            case DenseTensor<int> ints:
                foreach (var v in ints.Span) json.WriteNumberValue(v);
                break;
            case DenseTensor<long> longs:
                foreach (var v in longs.Span) json.WriteNumberValue(v);
                break;
            case DenseTensor<bool> bools:
                foreach (var v in bools.Span) json.WriteBooleanValue(v);
                break;
            case StringTensor strings:
                foreach (var v in strings.Values) json.WriteStringValue(v);
                break;
            default:
                throw new NotSupportedException($"Cannot write {tensor.ElementType} values as JSON.");
        }
    }
}
