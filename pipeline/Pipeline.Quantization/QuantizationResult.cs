using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization;

/// <summary>The rewritten model (a new object; the input model is never modified) and what was done to it.</summary>
public sealed record QuantizationResult(ModelProto Model, QuantizationSummary Summary);
