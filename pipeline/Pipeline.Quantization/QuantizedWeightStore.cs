using Pipeline.Onnx;

namespace Pipeline.Quantization;

/// <summary>The initializer names of a quantized weight: int8 values [K, N], float scale and int8 zero point.</summary>
/// <param name="Scale">A scalar, or [N] when per channel.</param>
/// <param name="ZeroPoint">Zeros of the same shape as the scale (the weights are symmetric).</param>
internal sealed record QuantizedWeightNames(string Values, string Scale, string ZeroPoint);

/// <summary>Quantizes each weight once and adds its int8 initializers, so weights shared by several MatMuls are stored once.</summary>
internal sealed class QuantizedWeightStore(ConstantWeights weights, GraphNames names, bool perChannel, int maxLevel)
{
    private readonly Dictionary<string, QuantizedWeightNames> _quantized = new(StringComparer.Ordinal);

    public QuantizedWeightNames Get(QuantizableMatMul matMul)
    {
        var weight = matMul.Weight;
        if (_quantized.TryGetValue(weight.Name, out var existing)) return existing;

        var quantized = SymmetricWeightQuantizer.Quantize(weight, perChannel, maxLevel);
        var result = new QuantizedWeightNames(
            names.Unique($"{weight.Name}_quantized"), names.Unique($"{weight.Name}_scale"), names.Unique($"{weight.Name}_zero_point"));
        long[] scaleDims = perChannel ? [quantized.Columns] : [];
        weights.Add(OnnxTensors.FromInt8s(result.Values, quantized.Values, quantized.Rows, quantized.Columns));
        weights.Add(OnnxTensors.FromFloats(result.Scale, quantized.Scales, scaleDims));
        weights.Add(OnnxTensors.FromInt8s(result.ZeroPoint, new sbyte[quantized.Scales.Length], scaleDims));
        _quantized.Add(weight.Name, result);
        return result;
    }
}
