namespace Pipeline.OnnxRuntime;

/// <summary>One model input or output as ORT sees it.</summary>
/// <param name="Shape">Dimensions; -1 where the model leaves a dimension symbolic or unknown.</param>
/// <param name="SymbolicDimensions">The dim_param name of each dimension, "" where it has none.</param>
public sealed record NodeMetadata(
    string Name,
    OnnxValueKind Kind,
    TensorElementType ElementType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string> SymbolicDimensions);
