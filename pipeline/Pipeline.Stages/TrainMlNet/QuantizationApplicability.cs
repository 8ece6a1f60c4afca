using Pipeline.Onnx.Protos;

namespace Pipeline.Stages;

/// <summary>
/// Whether an exported graph has anything int8 quantization works on (MatMul, Gemm, Conv weights). ML.NET exports
/// trees as ai.onnx.ml TreeEnsemble* and linear models as LinearClassifier/LinearRegressor, which ONNX Runtime's
/// quantizer does not touch, so for those the Quantize step says "not applicable" instead of producing a copy.
/// </summary>
public static class QuantizationApplicability
{
    private static readonly HashSet<string> Quantizable = new(StringComparer.Ordinal) { "MatMul", "Gemm", "Conv" };

    public static bool Applies(ModelProto model) => model.Graph.Node.Any(n => Quantizable.Contains(n.OpType) && IsDefaultDomain(n.Domain));

    /// <summary>One clause for the log: what the graph computes with and whether int8 applies.</summary>
    public static string Describe(byte[] onnx)
    {
        var model = ModelProto.Parser.ParseFrom(onnx);
        if (Applies(model))
            return "int8 quantization would apply (MatMul/Gemm/Conv weights), but the int8 candidates are the MLP family's";
        var work = model.Graph.Node.Where(n => !IsDefaultDomain(n.Domain)).Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal).ToList();
        return work.Count == 0
            ? "quantization not applicable: no MatMul, Gemm or Conv weights"
            : $"quantization not applicable: its work is in {string.Join(", ", work)} (ai.onnx.ml), which has no int8 form";
    }

    private static bool IsDefaultDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";
}
