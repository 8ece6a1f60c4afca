using Pipeline.Onnx;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Training.Export;

/// <summary>Checks the caller's metadata and renders it as the metadata_props key/value strings.</summary>
internal static class ExportMetadataProperties
{
    public static IReadOnlyList<KeyValuePair<string, string>> Create(OnnxExportMetadata metadata, IReadOnlyList<string> classNames)
    {
        Validate(metadata);
        return
        [
            new(OnnxMetadataKeys.ModelName, metadata.ModelName),
            new(OnnxMetadataKeys.ModelVersion, metadata.ModelVersion),
            new(OnnxMetadataKeys.SourceRevision, metadata.SourceRevision),
            new(OnnxMetadataKeys.TrainingDataSha256, MetadataJson.Object(metadata.DataHashes, (v, s) => v.WriteStringValue(s.ToLowerInvariant()))),
            new(OnnxMetadataKeys.Parameters, MetadataJson.Object(metadata.Parameters, (v, s) => v.WriteStringValue(s))),
            new(OnnxMetadataKeys.TestMetrics, MetadataJson.Object(metadata.Metrics, (v, d) => v.WriteNumberValue(d))),
            new(OnnxMetadataKeys.ClassNames, MetadataJson.Write(w =>
            {
                w.WriteStartArray();
                foreach (var name in classNames) w.WriteStringValue(name);
                w.WriteEndArray();
            })),
            new(OnnxMetadataKeys.CreatedUtc, metadata.CreatedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        ];
    }

    private static void Validate(OnnxExportMetadata metadata)
    {
        RequireText(metadata.ModelName, nameof(metadata.ModelName), "a stable model name such as \"fashion-mnist-mlp\"");
        RequireText(metadata.ModelVersion, nameof(metadata.ModelVersion), "the version being released");
        RequireText(metadata.SourceRevision, nameof(metadata.SourceRevision), "the git commit the model was trained from");
        if (metadata.DataHashes.Count == 0)
            throw new ArgumentException(
                "DataHashes is empty: give the SHA-256 of every training data file so the model can be traced to its data.", nameof(metadata));
        foreach (var (file, hash) in metadata.DataHashes)
        {
            RequireText(file, nameof(metadata.DataHashes), "a file name for every hash");
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
                throw new ArgumentException(
                    $"DataHashes['{file}'] is '{hash}', not a SHA-256 (64 hexadecimal digits).", nameof(metadata));
        }
        foreach (var (name, value) in metadata.Metrics)
            if (!double.IsFinite(value))
                throw new ArgumentException($"Metric '{name}' is {value}; metrics must be finite numbers (JSON has no NaN or infinity).", nameof(metadata));
    }

    private static void RequireText(string value, string field, string expected)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{field} is empty; give {expected}.", nameof(value));
    }
}
