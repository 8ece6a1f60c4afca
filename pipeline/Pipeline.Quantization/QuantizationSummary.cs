namespace Pipeline.Quantization;

/// <summary>Which rewrite produced a quantized model.</summary>
public enum QuantizationMethod
{
    /// <summary>Int8 weights; activations quantized at run time (DynamicQuantizeLinear → MatMulInteger).</summary>
    DynamicInt8,

    /// <summary>Int8 weights and calibrated activation ranges, in QuantizeLinear/DequantizeLinear form.</summary>
    StaticQdq,
}

/// <summary>A MatMul or Gemm node left in float, and why.</summary>
public sealed record SkippedNode(string NodeName, string OpType, string Reason);

/// <summary>
/// What a quantization run did. <see cref="QuantizedNodeCount"/> of 0 means the model came back unchanged;
/// <see cref="Message"/> then says why, so a pipeline can fail with that reason rather than ship a float model
/// believing it is int8.
/// </summary>
public sealed record QuantizationSummary(
    QuantizationMethod Method,
    bool PerChannel,
    int QuantizedNodeCount,
    long OriginalInitializerBytes,
    long QuantizedInitializerBytes,
    IReadOnlyList<string> QuantizedNodes,
    IReadOnlyList<SkippedNode> SkippedNodes)
{
    public bool IsUnchanged => QuantizedNodeCount == 0;

    /// <summary>Quantized initializer bytes over original ones (1 when the model had no initializers).</summary>
    public double InitializerBytesRatio =>
        OriginalInitializerBytes == 0 ? 1 : (double)QuantizedInitializerBytes / OriginalInitializerBytes;

    public string Message => IsUnchanged
        ? "No MatMul or Gemm node reads a constant float weight initializer, so nothing was quantized and the model is unchanged."
          + DescribeSkipped()
        : $"{Method} quantization ({(PerChannel ? "per-channel" : "per-tensor")} int8 weights) rewrote {QuantizedNodeCount} node(s); "
          + $"initializers {OriginalInitializerBytes:N0} → {QuantizedInitializerBytes:N0} bytes ({InitializerBytesRatio:P1})."
          + DescribeSkipped();

    private string DescribeSkipped() => SkippedNodes.Count == 0
        ? string.Empty
        : " Left in float: " + string.Join("; ", SkippedNodes.Select(s => $"{s.OpType} '{s.NodeName}': {s.Reason}")) + ".";
}
