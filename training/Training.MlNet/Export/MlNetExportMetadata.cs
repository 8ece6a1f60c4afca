namespace Training.MlNet;

/// <summary>
/// What an exported ML.NET model records about where it came from (mirrors Training.Export's OnnxExportMetadata; the
/// test metrics, class names, task and candidate come from the trained candidate and its definition).
/// </summary>
/// <param name="ModelName">A stable name, such as "penguins".</param>
/// <param name="ModelVersion">The version being released, such as "1.4.0" or a build number.</param>
/// <param name="SourceRevision">The git commit the model was trained from.</param>
/// <param name="DataHashes">Data file name → lowercase hex SHA-256 of its content; at least one.</param>
/// <param name="Parameters">Training parameters (seed, candidate settings) as invariant-culture strings.</param>
/// <param name="CreatedUtc">When the model was trained or exported.</param>
public sealed record MlNetExportMetadata(
    string ModelName,
    string ModelVersion,
    string SourceRevision,
    IReadOnlyDictionary<string, string> DataHashes,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset CreatedUtc);
