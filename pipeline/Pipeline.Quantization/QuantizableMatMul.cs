using Pipeline.Onnx;
using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization;

/// <summary>A MatMul whose second input is a constant 2-D float weight: activation [.., K] × weight [K, N].</summary>
/// <param name="SourceName">The node name to report: the MatMul's own, or the Gemm it was split from.</param>
internal sealed record QuantizableMatMul(NodeProto Node, string SourceName, string Activation, TensorProto Weight)
{
    public string Label => Nodes.Label(Node);

    public static IReadOnlyList<QuantizableMatMul> FindAll(GraphProto graph, ConstantWeights weights, GemmSplit split,
        IReadOnlySet<string> excluded, List<SkippedNode> skipped)
    {
        var found = new List<QuantizableMatMul>();
        foreach (var node in graph.Node.Where(n => n.OpType == "MatMul" && OnnxDomains.AreSame(n.Domain, "")))
        {
            var sourceName = split.SourceNames.GetValueOrDefault(node) ?? Nodes.Label(node);
            var reason = excluded.Contains(node.Name) ? "excluded by the quantization options"
                : node.Input.Count != 2 ? $"it has {node.Input.Count} inputs, not 2"
                : weights.WhyNotQuantizable(node.Input[1]);
            if (reason is null) found.Add(new QuantizableMatMul(node, sourceName, node.Input[0], weights.Find(node.Input[1])!));
            else skipped.Add(new SkippedNode(sourceName, node.OpType, reason));
        }
        return found;
    }
}
