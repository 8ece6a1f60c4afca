using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests.Support;

/// <summary>Reads back what a rewrite produced, and checks it with the official ONNX checker.</summary>
internal static class ModelInspection
{
    public static string[] OpTypes(ModelProto model) => model.Graph.Node.Select(n => n.OpType).ToArray();

    public static DataType TypeOf(ModelProto model, string initializer) => (DataType)model.Graph.GetInitializer(initializer).DataType;

    public static long[] DimsOf(ModelProto model, string initializer) => model.Graph.GetInitializer(initializer).Dims.ToArray();

    /// <summary>Float initializers with two dimensions: MatMul or Gemm weights that were left unquantized.</summary>
    public static string[] FloatMatrices(ModelProto model) =>
        model.Graph.Initializer.Where(t => t.DataType == (int)DataType.Float && t.Dims.Count == 2).Select(t => t.Name).ToArray();

    public static long SerializedSize(ModelProto model) => model.CalculateSize();

    /// <summary>Writes the model and runs the official checker with full shape inference on it.</summary>
    public static async Task AssertPassesCheckerAsync(ModelProto model, string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        await OnnxModelFile.WriteAtomicallyAsync(model, path);
        await TestSupport.OnnxChecker.AssertValidAsync(path);
    }
}
