using Pipeline.Quantization;
using Pipeline.Quantization.Calibration;

namespace Pipeline.Stages;

/// <summary>The int8 methods the Quantize stage produces, each to its own file beside the fp32 model.</summary>
public enum QuantizationVariant
{
    /// <summary>Weights int8 per tensor, activations quantized per request (DynamicQuantizeLinear → MatMulInteger).</summary>
    DynamicPerTensor,
    /// <summary>As <see cref="DynamicPerTensor"/> with one weight scale per output column.</summary>
    DynamicPerChannel,
    /// <summary>QDQ form, activation ranges calibrated as the minimum and maximum seen.</summary>
    QdqMinMax,
    /// <summary>QDQ form, activation ranges calibrated at the 99.99th percentile, per-channel weights.</summary>
    QdqPercentile,
}

public static class QuantizationVariants
{
    public static string FileName(QuantizationVariant variant) => variant switch
    {
        QuantizationVariant.DynamicPerTensor => "model.int8-dynamic.onnx",
        QuantizationVariant.DynamicPerChannel => "model.int8-dynamic-per-channel.onnx",
        QuantizationVariant.QdqMinMax => "model.int8-qdq-minmax.onnx",
        QuantizationVariant.QdqPercentile => "model.int8-qdq-percentile.onnx",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown quantization variant."),
    };

    public static string CandidateName(QuantizationVariant variant) =>
        FileName(variant)["model.".Length..^".onnx".Length];

    public static bool IsStatic(QuantizationVariant variant) =>
        variant is QuantizationVariant.QdqMinMax or QuantizationVariant.QdqPercentile;

    public static DynamicQuantizationOptions DynamicOptions(QuantizationVariant variant) =>
        new() { PerChannel = variant == QuantizationVariant.DynamicPerChannel };

    public static StaticQuantizationOptions StaticOptions(QuantizationVariant variant) => variant == QuantizationVariant.QdqPercentile
        ? new() { PerChannel = true, Calibration = CalibrationMethod.Percentile(99.99) }
        : new() { PerChannel = false, Calibration = CalibrationMethod.MinMax };
}
