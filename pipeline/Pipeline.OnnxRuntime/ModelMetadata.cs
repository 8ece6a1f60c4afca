namespace Pipeline.OnnxRuntime;

/// <summary>The ModelProto's descriptive fields and its metadata_props map.</summary>
public sealed record ModelMetadata(
    string ProducerName,
    string GraphName,
    string Domain,
    string Description,
    string GraphDescription,
    long Version,
    IReadOnlyDictionary<string, string> CustomMetadata);
