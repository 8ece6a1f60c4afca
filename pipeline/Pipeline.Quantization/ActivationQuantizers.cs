using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Pipeline.Quantization.Calibration;

namespace Pipeline.Quantization;

/// <summary>The quantized form of an activation and the initializers that dequantize it.</summary>
internal sealed record QuantizedActivation(string Quantized, string Scale, string ZeroPoint);

/// <summary>
/// One QuantizeLinear per activation tensor, emitted where the first quantized MatMul reads it (which is after its
/// producer, keeping the graph sorted); every MatMul reading it then gets its own DequantizeLinear.
/// </summary>
internal sealed class ActivationQuantizers(QuantizationRewrite rewrite, CalibrationResult calibration, ActivationType type)
{
    private readonly Dictionary<string, QuantizedActivation> _quantized = new(StringComparer.Ordinal);

    public QuantizedActivation Get(QuantizableMatMul matMul, List<NodeProto> nodes)
    {
        var tensor = matMul.Activation;
        if (_quantized.TryGetValue(tensor, out var existing)) return existing;
        if (!calibration.Ranges.TryGetValue(tensor, out var range))
            throw new ArgumentException(
                $"The calibration has no range for '{tensor}', the input of {matMul.Node.OpType} '{matMul.SourceName}'. "
                + $"Calibrate the tensors {nameof(StaticQdqQuantizer)}.{nameof(StaticQdqQuantizer.FindActivations)} lists, with the same options.",
                nameof(calibration));

        var parameters = ActivationQuantization.Compute(range, type);
        var names = rewrite.Names;
        var result = new QuantizedActivation(names.Unique($"{tensor}_quantized"), names.Unique($"{tensor}_scale"), names.Unique($"{tensor}_zero_point"));
        rewrite.Weights.Add(OnnxTensors.FromFloats(result.Scale, [parameters.Scale]));
        rewrite.Weights.Add(type == ActivationType.UInt8
            ? OnnxTensors.FromUInt8s(result.ZeroPoint, [(byte)parameters.ZeroPoint])
            : OnnxTensors.FromInt8s(result.ZeroPoint, [(sbyte)parameters.ZeroPoint]));
        nodes.Add(Nodes.Create("QuantizeLinear", names.Unique($"{tensor}_quantize"), [tensor, result.Scale, result.ZeroPoint], [result.Quantized]));
        _quantized.Add(tensor, result);
        return result;
    }
}
