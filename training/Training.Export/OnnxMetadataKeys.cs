namespace Training.Export;

/// <summary>
/// The metadata_props keys an exported model carries. ONNX Runtime exposes them as the model's custom
/// metadata map, so serving code reads them with these names. JSON values use sorted keys, so the same
/// inputs give byte-identical files.
/// </summary>
public static class OnnxMetadataKeys
{
    public const string ModelName = "model_name";
    public const string ModelVersion = "model_version";
    public const string SourceRevision = "source_revision";

    /// <summary>A JSON object: training data file name → SHA-256 (lowercase hex).</summary>
    public const string TrainingDataSha256 = "training_data_sha256";

    /// <summary>A JSON object of strings: training parameter name → value.</summary>
    public const string Parameters = "parameters";

    /// <summary>A JSON object of numbers: test metric name → value.</summary>
    public const string TestMetrics = "test_metrics";

    /// <summary>A JSON array of strings: the class name of each label index.</summary>
    public const string ClassNames = "class_names";

    /// <summary>ISO 8601 UTC timestamp, such as 2025-01-31T12:00:00.0000000Z.</summary>
    public const string CreatedUtc = "created_utc";
}
