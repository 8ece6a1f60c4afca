namespace Pipeline.Quantization;

/// <summary>Settings for <see cref="DynamicInt8Quantizer"/>. The defaults match ONNX Runtime's own dynamic quantizer.</summary>
public sealed record DynamicQuantizationOptions
{
    public static DynamicQuantizationOptions Default { get; } = new();

    /// <summary>One weight scale per output column instead of one per tensor: more accurate when columns differ in range.</summary>
    public bool PerChannel { get; init; }

    /// <summary>
    /// Quantize weights to 7 bits (±63). x86 CPUs without VNNI multiply uint8 × int8 pairs into saturating 16-bit
    /// sums, which can overflow with full-range weights; reducing the range avoids that at a small accuracy cost.
    /// Leave off when the serving CPUs have AVX-512 VNNI or AVX-VNNI.
    /// </summary>
    public bool ReduceRange { get; init; }

    /// <summary>Names of MatMul or Gemm nodes to leave in float (for example an accuracy-sensitive last layer).</summary>
    public IReadOnlySet<string> ExcludedNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
