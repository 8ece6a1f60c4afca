using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Pipeline.Quantization.Calibration;

namespace Pipeline.Quantization;

/// <summary>
/// Static quantization in QDQ form. For each MatMul (Gemm split first) with a constant float weight W:
/// <code>
/// x → QuantizeLinear(x_scale, x_zero_point) → DequantizeLinear → ┐
/// W_q (int8 initializer) → DequantizeLinear(W_scale, 0, axis=1) → MatMul → (bias Add stays float)
/// </code>
/// Weights are stored already quantized (their QuantizeLinear is applied here, once), so the float W leaves the
/// file. Activation ranges come from calibration. ONNX Runtime's CPU provider turns DQ → MatMul (uint8
/// activations) into its int8 MatMulIntegerToFloat kernel; other runtimes read the same QDQ pairs.
/// </summary>
public static class StaticQdqQuantizer
{
    /// <summary>Per-axis DequantizeLinear (per-channel weights) first appears in opset 13.</summary>
    public const long MinimumOpset = 13;

    private const string What = "Static QDQ quantization";

    /// <summary>The activation tensors (MatMul inputs) that need calibrated ranges; empty when nothing is quantizable.</summary>
    public static IReadOnlyList<string> FindActivations(ModelProto model, StaticQuantizationOptions? options = null) =>
        QuantizationRewrite.Begin(model, What, MinimumOpset, (options ?? StaticQuantizationOptions.Default).ExcludedNodes)
            .MatMuls.Select(m => m.Activation).Distinct().ToList();

    /// <summary>Calibrates the activations on <paramref name="data"/> with <paramref name="runner"/>, then quantizes.</summary>
    public static async Task<QuantizationResult> QuantizeAsync(ModelProto model, ICalibrationDataSource data, ICalibrationRunner runner,
        StaticQuantizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= StaticQuantizationOptions.Default;
        var activations = FindActivations(model, options);
        var calibration = activations.Count == 0
            ? new CalibrationResult(new Dictionary<string, TensorRange>(), options.Calibration, 0)
            : await ActivationCalibrator.CalibrateAsync(model, activations, data, runner, options.Calibration, cancellationToken);
        return Quantize(model, calibration, options);
    }

    /// <summary>Quantizes with ranges calibrated earlier (for example by <see cref="ActivationCalibrator"/>).</summary>
    public static QuantizationResult Quantize(ModelProto model, CalibrationResult calibration, StaticQuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        options ??= StaticQuantizationOptions.Default;
        var rewrite = QuantizationRewrite.Begin(model, What, MinimumOpset, options.ExcludedNodes);
        var weights = new QuantizedWeightStore(rewrite.Weights, rewrite.Names, options.PerChannel,
            options.ReduceRange ? SymmetricWeightQuantizer.ReducedRange : SymmetricWeightQuantizer.FullRange);
        var activations = new ActivationQuantizers(rewrite, calibration, options.ActivationType);
        foreach (var matMul in rewrite.MatMuls)
        {
            var nodes = new List<NodeProto>();
            var activation = activations.Get(matMul, nodes);
            var label = matMul.Label;
            var input = rewrite.Names.Unique($"{label}_input_dequantized");
            nodes.Add(Nodes.Create("DequantizeLinear", rewrite.Names.Unique($"{label}_dequantize_input"),
                [activation.Quantized, activation.Scale, activation.ZeroPoint], [input]));

            var weight = weights.Get(matMul);
            var weightValues = rewrite.Names.Unique($"{label}_weight_dequantized");
            nodes.Add(Nodes.Create("DequantizeLinear", rewrite.Names.Unique($"{label}_dequantize_weight"),
                [weight.Values, weight.Scale, weight.ZeroPoint], [weightValues],
                options.PerChannel ? [OnnxAttributes.Int("axis", 1)] : []));

            var replacement = matMul.Node.Clone();
            replacement.Input[0] = input;
            replacement.Input[1] = weightValues;
            nodes.Add(replacement);
            rewrite.Graph.ReplaceNode(matMul.Node, nodes);
        }

        return rewrite.Finish(QuantizationMethod.StaticQdq, options.PerChannel,
        [
            (QuantizationMetadataKeys.ActivationType, options.ActivationType == ActivationType.UInt8 ? "uint8" : "int8"),
            (QuantizationMetadataKeys.ReduceRange, options.ReduceRange ? "true" : "false"),
            (QuantizationMetadataKeys.Calibration, calibration.Method.Name),
            (QuantizationMetadataKeys.CalibrationSamples, calibration.SampleCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
    }
}
