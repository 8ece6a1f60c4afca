namespace Pipeline.Quantization;

/// <summary>
/// Settings for <see cref="DynamicInt8Quantizer"/>. The defaults match ONNX Runtime's own dynamic quantizer except
/// <see cref="ReduceRange"/>, which is on: a model gated on one CPU must answer the same on every serving CPU.
/// </summary>
public sealed record DynamicQuantizationOptions
{
    public static DynamicQuantizationOptions Default { get; } = new();

    /// <summary>One weight scale per output column instead of one per tensor: more accurate when columns differ in range.</summary>
    public bool PerChannel { get; init; }

    /// <summary>
    /// Quantize weights to 7 bits (±63), the default. x86 CPUs without VNNI add pairs of uint8 × int8 products in
    /// saturating 16-bit sums, which full-range weights can overflow (<see cref="U8S8Saturation"/>); 7-bit weights
    /// cannot, so the model computes the same on every x86-64 CPU, at a small accuracy cost. Turn off only when
    /// every serving CPU has AVX-512 VNNI or AVX-VNNI.
    /// </summary>
    public bool ReduceRange { get; init; } = true;

    /// <summary>Names of MatMul or Gemm nodes to leave in float (for example an accuracy-sensitive last layer).</summary>
    public IReadOnlySet<string> ExcludedNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
