using Pipeline.Quantization.Calibration;

namespace Pipeline.Quantization;

/// <summary>The element type activations are quantized to in the QDQ graph.</summary>
public enum ActivationType
{
    /// <summary>Asymmetric uint8, the type ONNX Runtime's CPU int8 MatMul kernels take for activations.</summary>
    UInt8,

    /// <summary>Asymmetric int8, for accelerators that prefer signed activations; ORT's CPU provider runs it unfused.</summary>
    Int8,
}

/// <summary>Settings for <see cref="StaticQdqQuantizer"/>.</summary>
public sealed record StaticQuantizationOptions
{
    public static StaticQuantizationOptions Default { get; } = new();

    /// <summary>One weight scale per output column (DequantizeLinear axis=1) instead of one per tensor.</summary>
    public bool PerChannel { get; init; }

    public ActivationType ActivationType { get; init; } = ActivationType.UInt8;

    /// <summary>
    /// 7-bit weights (±63), the default, so ONNX Runtime's fused uint8 × int8 kernels cannot saturate on x86 CPUs
    /// without VNNI (see <see cref="DynamicQuantizationOptions.ReduceRange"/> and <see cref="U8S8Saturation"/>).
    /// </summary>
    public bool ReduceRange { get; init; } = true;

    /// <summary>How calibration turns observed activation values into a quantization range.</summary>
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.MinMax;

    /// <summary>Names of MatMul or Gemm nodes to leave in float.</summary>
    public IReadOnlySet<string> ExcludedNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
