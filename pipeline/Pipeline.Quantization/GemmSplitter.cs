using Pipeline.Onnx;
using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization;

/// <summary>
/// Rewrites each Gemm with a constant 2-D float weight as MatMul (+ Add for the bias), the form the quantizers
/// handle. Gemm computes Y = alpha · A' · B' + beta · C; alpha and transB are folded into a new [K, N] weight,
/// and beta into a scaled copy of C (or a Mul when C is computed), so the MatMul form computes the same values.
/// </summary>
internal static class GemmSplitter
{
    public static GemmSplit Split(GraphProto graph, ConstantWeights weights, GraphNames names,
        IReadOnlySet<string> excluded, List<SkippedNode> skipped)
    {
        var replacedWeights = new List<string>();
        var sources = new Dictionary<NodeProto, string>(ReferenceEqualityComparer.Instance);
        foreach (var gemm in graph.Node.Where(n => n.OpType == "Gemm" && OnnxDomains.AreSame(n.Domain, "")).ToList())
        {
            var label = Nodes.Label(gemm);
            if (WhyNotSplittable(gemm, weights, excluded) is { } reason)
            {
                skipped.Add(new SkippedNode(label, gemm.OpType, reason));
                continue;
            }
            var replacements = SplitOne(gemm, label, weights, names).ToList();
            graph.ReplaceNode(gemm, replacements);
            sources.Add(replacements[0], label);
            replacedWeights.Add(gemm.Input[1]);
        }
        return new GemmSplit(replacedWeights, sources);
    }

    private static string? WhyNotSplittable(NodeProto gemm, ConstantWeights weights, IReadOnlySet<string> excluded)
    {
        if (excluded.Contains(gemm.Name)) return "excluded by the quantization options";
        if (gemm.Input.Count < 2) return "it has fewer than two inputs";
        if (Nodes.IntAttribute(gemm, "transA", 0) != 0)
            return "transA=1 is not supported; transpose the activation before the Gemm in the exporter";
        return weights.WhyNotQuantizable(gemm.Input[1]);
    }

    private static IEnumerable<NodeProto> SplitOne(NodeProto gemm, string label, ConstantWeights weights, GraphNames names)
    {
        var alpha = Nodes.FloatAttribute(gemm, "alpha", 1f);
        var beta = Nodes.FloatAttribute(gemm, "beta", 1f);
        var transposeB = Nodes.IntAttribute(gemm, "transB", 0) != 0;
        var output = gemm.Output[0];
        var bias = gemm.Input.Count > 2 && gemm.Input[2].Length > 0 && beta != 0f ? gemm.Input[2] : null;

        var weight = MatMulWeight(gemm.Input[1], weights, names, alpha, transposeB);
        var product = bias is null ? output : names.Unique($"{label}_product");
        yield return Nodes.Create("MatMul", names.Unique($"{label}_matmul"), [gemm.Input[0], weight], [product]);
        if (bias is null) yield break;

        var scaledBias = bias;
        if (beta != 1f)
        {
            if (weights.FindConstantFloat(bias) is { } constantBias)
            {
                scaledBias = names.Unique($"{bias}_times_beta");
                weights.Add(OnnxTensors.FromFloats(scaledBias, OnnxTensors.ToFloats(constantBias).Select(v => v * beta).ToArray(), [.. constantBias.Dims]));
            }
            else
            {
                var betaName = names.Unique($"{label}_beta");
                weights.Add(OnnxTensors.FromFloats(betaName, [beta]));
                scaledBias = names.Unique($"{label}_scaled_bias");
                yield return Nodes.Create("Mul", names.Unique($"{label}_bias_mul"), [bias, betaName], [scaledBias]);
            }
        }
        yield return Nodes.Create("Add", names.Unique($"{label}_bias_add"), [product, scaledBias], [output]);
    }

    /// <summary>The [K, N] weight equal to alpha · B' (B itself when there is nothing to fold).</summary>
    private static string MatMulWeight(string weightName, ConstantWeights weights, GraphNames names, float alpha, bool transpose)
    {
        if (alpha == 1f && !transpose) return weightName;
        var tensor = weights.Find(weightName)!;
        var values = OnnxTensors.ToFloats(tensor);
        var (rows, columns) = ((int)tensor.Dims[0], (int)tensor.Dims[1]);
        var folded = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                var value = alpha * values[r * columns + c];
                if (transpose) folded[c * rows + r] = value;
                else folded[r * columns + c] = value;
            }
        var name = names.Unique($"{weightName}_as_matmul_weight");
        weights.Add(OnnxTensors.FromFloats(name, folded, transpose ? [columns, rows] : [rows, columns]));
        return name;
    }
}

/// <param name="ReplacedWeights">Weights the split Gemms read, which may now be unused.</param>
/// <param name="SourceNames">Each new MatMul node → the name of the Gemm it came from.</param>
internal sealed record GemmSplit(IReadOnlyList<string> ReplacedWeights, IReadOnlyDictionary<NodeProto, string> SourceNames);
