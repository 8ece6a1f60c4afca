using Pipeline.Onnx;
using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization;

/// <summary>Int8 values of a [K, N] weight with their scales: one scale (per tensor) or N (one per output column).</summary>
internal sealed record QuantizedWeightValues(sbyte[] Values, float[] Scales, long Rows, long Columns);

/// <summary>
/// Symmetric int8 weight quantization: zero point 0 and scale = max|w| / maxLevel, so q = round(w / scale) lies in
/// [-maxLevel, maxLevel] and w ≈ q · scale. Symmetric weights let int8 kernels skip the weight zero-point term.
/// </summary>
internal static class SymmetricWeightQuantizer
{
    public const int FullRange = 127;

    /// <summary>7-bit weights, for CPUs whose uint8 × int8 instructions saturate 16-bit sums (see ReduceRange).</summary>
    public const int ReducedRange = 63;

    public static QuantizedWeightValues Quantize(TensorProto weight, bool perChannel, int maxLevel)
    {
        var values = OnnxTensors.ToFloats(weight);
        var (rows, columns) = (weight.Dims[0], weight.Dims[1]);
        var maxAbs = new float[perChannel ? columns : 1];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (!float.IsFinite(value))
                throw new InvalidDataException(
                    $"Weight '{weight.Name}' holds {value} at row {i / columns}, column {i % columns}; only finite weights can be quantized. Check the training run for divergence.");
            ref var max = ref maxAbs[perChannel ? i % columns : 0];
            max = Math.Max(max, Math.Abs(value));
        }

        // An all-zero column gets scale 1, which quantizes it to zeros exactly and avoids dividing by zero.
        var scales = maxAbs.Select(max => max > 0 ? max / maxLevel : 1f).ToArray();
        var quantized = new sbyte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var scale = scales[perChannel ? i % columns : 0];
            // Round half to even, as ONNX QuantizeLinear does.
            quantized[i] = (sbyte)Math.Clamp(MathF.Round(values[i] / scale, MidpointRounding.ToEven), -maxLevel, maxLevel);
        }
        return new QuantizedWeightValues(quantized, scales, rows, columns);
    }
}
