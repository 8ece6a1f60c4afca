namespace Training.Export;

/// <summary>
/// What an exported model records about where it came from, written to the ONNX metadata_props
/// (keys in <see cref="OnnxMetadataKeys"/>) so a model file found anywhere can be traced to its data, code
/// and evaluation. Class names are not here: they come from the model itself.
/// </summary>
/// <param name="ModelName">A stable name for the model, such as "fashion-mnist-mlp".</param>
/// <param name="ModelVersion">The version being released, such as "1.4.0" or a build number.</param>
/// <param name="SourceRevision">The source control revision the model was trained from (a git commit).</param>
/// <param name="DataHashes">Training data file name → lowercase hex SHA-256 of its content; at least one.</param>
/// <param name="Parameters">Training parameters (hyperparameters, seed) as invariant-culture strings.</param>
/// <param name="Metrics">Metrics measured on the test split, such as accuracy; finite numbers.</param>
/// <param name="CreatedUtc">When the model was trained or exported.</param>
public sealed record OnnxExportMetadata(
    string ModelName,
    string ModelVersion,
    string SourceRevision,
    IReadOnlyDictionary<string, string> DataHashes,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedUtc);
