namespace Pipeline.Quantization;

/// <summary>
/// metadata_props keys a quantized model carries, so serving code and gates can tell how it was made
/// (ONNX Runtime exposes them as the custom metadata map).
/// </summary>
public static class QuantizationMetadataKeys
{
    /// <summary>"dynamic_int8" or "static_qdq".</summary>
    public const string Method = "quantization_method";

    /// <summary>"true" when weights have one scale per output column, "false" for one scale per tensor.</summary>
    public const string PerChannel = "quantization_per_channel";

    /// <summary>Element type of the stored weights: "int8".</summary>
    public const string WeightType = "quantization_weight_type";

    /// <summary>Element type activations are quantized to: "uint8" or "int8".</summary>
    public const string ActivationType = "quantization_activation_type";

    /// <summary>"true" when weights use 7 bits (exact on x86 CPUs without VNNI too), else "false".</summary>
    public const string ReduceRange = "quantization_reduce_range";

    /// <summary>Static only: the calibration method, such as "minmax" or "percentile_99.99".</summary>
    public const string Calibration = "quantization_calibration";

    /// <summary>Static only: how many rows of calibration data set the activation ranges.</summary>
    public const string CalibrationSamples = "quantization_calibration_samples";

    internal static string Name(QuantizationMethod method) => method switch
    {
        QuantizationMethod.DynamicInt8 => "dynamic_int8",
        QuantizationMethod.StaticQdq => "static_qdq",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}
