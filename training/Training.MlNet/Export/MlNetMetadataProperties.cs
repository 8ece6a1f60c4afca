using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Training.Export;

namespace Training.MlNet;

/// <summary>Writes the metadata_props an exported ML.NET model carries, in the same form as the project MLP's (sorted JSON keys).</summary>
internal static class MlNetMetadataProperties
{
    public const string Task = "task";
    public const string Candidate = "candidate";

    public static void Apply(ModelProto model, IModelDefinition definition, TrainedCandidate candidate, MlNetExportMetadata metadata,
        IReadOnlyList<string> classNames)
    {
        Validate(metadata, candidate);
        model.MetadataProps.Clear();
        model.SetMetadata(OnnxMetadataKeys.ModelName, metadata.ModelName);
        model.SetMetadata(OnnxMetadataKeys.ModelVersion, metadata.ModelVersion);
        model.SetMetadata(OnnxMetadataKeys.SourceRevision, metadata.SourceRevision);
        model.SetMetadata(OnnxMetadataKeys.TrainingDataSha256, MetadataJson.Object(metadata.DataHashes, (v, s) => v.WriteStringValue(s.ToLowerInvariant())));
        model.SetMetadata(OnnxMetadataKeys.Parameters, MetadataJson.Object(metadata.Parameters, (v, s) => v.WriteStringValue(s)));
        model.SetMetadata(OnnxMetadataKeys.TestMetrics, MetadataJson.Object(candidate.TestMetrics, (v, d) => v.WriteNumberValue(d)));
        model.SetMetadata(OnnxMetadataKeys.ClassNames, MetadataJson.Write(w =>
        {
            w.WriteStartArray();
            foreach (var name in classNames) w.WriteStringValue(name);
            w.WriteEndArray();
        }));
        model.SetMetadata(OnnxMetadataKeys.CreatedUtc, metadata.CreatedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        model.SetMetadata(Task, TaskName(definition.Task));
        model.SetMetadata(Candidate, candidate.Name);
    }

    /// <summary>snake_case, like the other metadata values: "multiclass_classification", "binary_classification", "regression".</summary>
    public static string TaskName(ModelTask task) => task switch
    {
        ModelTask.MulticlassClassification => "multiclass_classification",
        ModelTask.BinaryClassification => "binary_classification",
        ModelTask.Regression => "regression",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown model task; give it a metadata name here."),
    };

    private static void Validate(MlNetExportMetadata metadata, TrainedCandidate candidate)
    {
        RequireText(metadata.ModelName, nameof(metadata.ModelName), "a stable model name such as \"penguins\"");
        RequireText(metadata.ModelVersion, nameof(metadata.ModelVersion), "the version being released");
        RequireText(metadata.SourceRevision, nameof(metadata.SourceRevision), "the git commit the model was trained from");
        if (metadata.DataHashes.Count == 0)
            throw new ArgumentException(
                "DataHashes is empty: give the SHA-256 of every data file so the model can be traced to its data.", nameof(metadata));
        foreach (var (file, hash) in metadata.DataHashes)
        {
            RequireText(file, nameof(metadata.DataHashes), "a file name for every hash");
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
                throw new ArgumentException($"DataHashes['{file}'] is '{hash}', not a SHA-256 (64 hexadecimal digits).", nameof(metadata));
        }
        foreach (var (name, value) in candidate.TestMetrics)
            if (!double.IsFinite(value))
                throw new ArgumentException(
                    $"Test metric '{name}' of candidate '{candidate.Name}' is {value}; metrics must be finite numbers (JSON has no NaN or infinity).", nameof(candidate));
    }

    private static void RequireText(string value, string field, string expected)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{field} is empty; give {expected}.", nameof(value));
    }
}
