using System.Buffers;
using System.Text.Json;

namespace Pipeline.Drift;

/// <summary>
/// The JSON form of a <see cref="DriftBaseline"/>, written and read by hand (no reflection), so the trimmed server
/// reads exactly what Validate wrote.
/// </summary>
public static class DriftBaselineJson
{
    public static byte[] Serialize(DriftBaseline baseline)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema", DriftBaseline.CurrentSchema);
            json.WriteString("model", baseline.Model);
            json.WriteString("version", baseline.Version);
            json.WriteString("reference_source", baseline.ReferenceSource);
            json.WriteNumber("reference_rows", baseline.ReferenceRows);
            WriteStrings(json, "notes", baseline.Notes);
            json.WriteStartArray("quantities");
            foreach (var q in baseline.Quantities)
            {
                json.WriteStartObject();
                json.WriteString("name", q.Name);
                json.WriteString("kind", KindName(q.Kind));
                if (q.Input is not null) json.WriteString("input", q.Input);
                if (q.Kind == DriftQuantityKind.InputMean) WriteNumbers(json, "edges", q.Edges);
                else WriteStrings(json, "labels", q.Labels);
                WriteNumbers(json, "fractions", q.Fractions);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="DriftBaselineException">Not JSON, a field missing or of the wrong type, or an inconsistent baseline.</exception>
    public static DriftBaseline Deserialize(ReadOnlySpan<byte> utf8, string source)
    {
        DriftBaseline baseline;
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            baseline = Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new DriftBaselineException($"Drift baseline '{source}' is not valid JSON: {e.Message}. Re-run Validate to record it again.", e);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new DriftBaselineException($"Drift baseline '{source}' is malformed: {e.Message}. Re-run Validate to record it again.", e);
        }

        var problems = baseline.Problems();
        if (problems.Count > 0)
            throw new DriftBaselineException($"Drift baseline '{source}' is inconsistent:\n  - {string.Join("\n  - ", problems)}\nRe-run Validate to record it again.");
        return baseline;
    }

    public static string KindName(DriftQuantityKind kind) => kind switch
    {
        DriftQuantityKind.InputMean => "input_mean",
        DriftQuantityKind.PredictedClass => "predicted_class",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown quantity kind; give it a JSON name here."),
    };

    private static DriftBaseline Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the top level must be a JSON object");
        var schema = Required(root, "schema").GetInt32();
        if (schema != DriftBaseline.CurrentSchema)
            throw new FormatException($"\"schema\" is {schema}, but this build reads schema {DriftBaseline.CurrentSchema}");
        var quantities = new List<DriftQuantity>();
        foreach (var q in Array(root, "quantities"))
        {
            var name = Text(q, "name");
            var kindText = Text(q, "kind");
            var kind = kindText switch
            {
                "input_mean" => DriftQuantityKind.InputMean,
                "predicted_class" => DriftQuantityKind.PredictedClass,
                _ => throw new FormatException($"quantity '{name}' has kind '{kindText}'; it must be 'input_mean' or 'predicted_class'"),
            };
            var input = q.TryGetProperty("input", out var i) ? i.GetString() : null;
            var edges = kind == DriftQuantityKind.InputMean ? Array(q, "edges").Select(e => e.GetDouble()).ToArray() : [];
            var labels = kind == DriftQuantityKind.PredictedClass ? Array(q, "labels").Select(l => l.GetString()!).ToArray() : [];
            var fractions = Array(q, "fractions").Select(f => f.GetDouble()).ToArray();
            quantities.Add(new DriftQuantity(name, kind, input, edges, labels, fractions));
        }

        var notes = root.TryGetProperty("notes", out _) ? Array(root, "notes").Select(n => n.GetString()!).ToArray() : [];
        return new DriftBaseline(Text(root, "model"), Text(root, "version"), Text(root, "reference_source"),
            Required(root, "reference_rows").GetInt32(), notes, quantities);
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"\"{name}\" is missing");

    private static string Text(JsonElement element, string name) =>
        Required(element, name).GetString() ?? throw new FormatException($"\"{name}\" is null; it must be a string");

    private static IEnumerable<JsonElement> Array(JsonElement element, string name)
    {
        var value = Required(element, name);
        if (value.ValueKind != JsonValueKind.Array) throw new FormatException($"\"{name}\" must be an array");
        return value.EnumerateArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
