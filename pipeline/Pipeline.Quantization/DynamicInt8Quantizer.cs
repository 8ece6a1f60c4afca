using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization;

/// <summary>
/// Dynamic int8 quantization, as ONNX Runtime's own dynamic quantizer does it. Each MatMul (and each Gemm, first
/// split into MatMul + Add) with a constant float weight W becomes
/// <code>
/// DynamicQuantizeLinear(x) → x_q, x_scale, x_zero_point
/// MatMulInteger(x_q, W_q, x_zero_point, W_zero_point) → Cast(float) → Mul(·, Mul(x_scale, W_scale))
/// </code>
/// with W stored as symmetric int8 and the float W removed. The bias Add stays in float. ONNX Runtime's CPU
/// optimizer fuses this exact chain (with the Add) into one DynamicQuantizeMatMul kernel, so the node order and
/// input order below matter: one DynamicQuantizeLinear per MatMul, and the scale Mul takes x_scale first.
/// </summary>
public static class DynamicInt8Quantizer
{
    /// <summary>DynamicQuantizeLinear first appears in opset 11.</summary>
    public const long MinimumOpset = 11;

    public static QuantizationResult Quantize(ModelProto model, DynamicQuantizationOptions? options = null)
    {
        options ??= DynamicQuantizationOptions.Default;
        var rewrite = QuantizationRewrite.Begin(model, "Dynamic int8 quantization", MinimumOpset, options.ExcludedNodes);
        var maxLevel = options.ReduceRange ? SymmetricWeightQuantizer.ReducedRange : SymmetricWeightQuantizer.FullRange;
        var weights = new QuantizedWeightStore(rewrite.Weights, rewrite.Names, options.PerChannel, maxLevel);
        foreach (var matMul in rewrite.MatMuls)
            rewrite.Graph.ReplaceNode(matMul.Node, Rewrite(matMul, weights.Get(matMul), rewrite.Names));

        return rewrite.Finish(QuantizationMethod.DynamicInt8, options.PerChannel,
        [
            (QuantizationMetadataKeys.ActivationType, "uint8"),
            (QuantizationMetadataKeys.ReduceRange, options.ReduceRange ? "true" : "false"),
        ]);
    }

    private static NodeProto[] Rewrite(QuantizableMatMul matMul, QuantizedWeightNames weight, GraphNames names)
    {
        var label = matMul.Label;
        string Value(string suffix) => names.Unique($"{label}_{suffix}");
        string Node(string suffix) => names.Unique($"{label}_{suffix}");

        var (quantized, scale, zeroPoint) = (Value("input_quantized"), Value("input_scale"), Value("input_zero_point"));
        var (product, productFloat, outputScale) = (Value("product_int32"), Value("product_float"), Value("output_scale"));
        return
        [
            Nodes.Create("DynamicQuantizeLinear", Node("quantize_input"), [matMul.Activation], [quantized, scale, zeroPoint]),
            Nodes.Create("MatMulInteger", Node("matmul_integer"), [quantized, weight.Values, zeroPoint, weight.ZeroPoint], [product]),
            Nodes.Create("Cast", Node("cast"), [product], [productFloat], OnnxAttributes.Int("to", (long)DataType.Float)),
            Nodes.Create("Mul", Node("scale_mul"), [scale, weight.Scale], [outputScale]),
            Nodes.Create("Mul", Node("rescale"), [productFloat, outputScale], [matMul.Node.Output[0]]),
        ];
    }
}
