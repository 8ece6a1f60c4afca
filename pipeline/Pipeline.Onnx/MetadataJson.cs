using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Onnx;

/// <summary>
/// JSON for metadata_props values: objects with sorted keys, so the same lineage gives byte-identical model files
/// whichever exporter (the MLP's or ML.NET's) writes it.
/// </summary>
public static class MetadataJson
{
    // Never embedded in HTML, so class names like "T-shirt/top" stay readable instead of \u-escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An object of <paramref name="values"/>, keys in ordinal order.</summary>
    public static string Object<T>(IReadOnlyDictionary<string, T> values, Action<Utf8JsonWriter, T> writeValue) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(key);
            writeValue(writer, value);
        }

        writer.WriteEndObject();
    });

    /// <summary>Whatever <paramref name="write"/> writes, as a string.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
