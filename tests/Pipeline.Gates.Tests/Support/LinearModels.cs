using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Gates.Tests.Support;

/// <summary>
/// Real ONNX classifiers with the exported models' signature (input float [N, 784]; outputs probabilities float
/// [N, 10] and label int64 [N]) in three forms: dense fp32, low-rank (two MatMuls) and int8 per-channel weights.
/// </summary>
internal static class LinearModels
{
    private const int Features = SyntheticLinearTask.Features;
    private const int Classes = SyntheticLinearTask.Classes;

    public static ModelProto Dense(float[] weight, float[] bias) =>
        Classifier("dense", graph => graph
            .AddFloatInitializer("weight", weight, Features, Classes)
            .AddNode("MatMul", "matmul", ["input", "weight"], ["product"]), bias);

    public static ModelProto LowRank(float[] left, float[] right, float[] bias) =>
        Classifier("low-rank", graph => graph
            .AddFloatInitializer("left", left, Features, SyntheticLinearTask.Rank)
            .AddFloatInitializer("right", right, SyntheticLinearTask.Rank, Classes)
            .AddNode("MatMul", "project", ["input", "left"], ["projected"])
            .AddNode("MatMul", "matmul", ["projected", "right"], ["product"]), bias);

    public static ModelProto Int8PerChannel(sbyte[] quantized, float[] scales, float[] bias) =>
        Classifier("int8", graph => graph
            .AddInitializer(Int8Tensor("weight.quantized", quantized, Features, Classes))
            .AddInitializer(Int8Tensor("weight.zero_point", new sbyte[Classes], Classes))
            .AddFloatInitializer("weight.scale", scales, Classes)
            .AddNode("DequantizeLinear", "dequantize", ["weight.quantized", "weight.scale", "weight.zero_point"], ["weight"],
                OnnxAttributes.Int("axis", 1))
            .AddNode("MatMul", "matmul", ["input", "weight"], ["product"]), bias);

    public static string Write(ModelProto model, string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        OnnxModelFile.WriteAtomically(model, path);
        return path;
    }

    private static ModelProto Classifier(string name, Func<OnnxGraphBuilder, OnnxGraphBuilder> body, float[] bias)
    {
        var graph = body(new OnnxGraphBuilder(name)
                .AddInput("input", DataType.Float, "N", Features)
                .AddOutput("probabilities", DataType.Float, "N", Classes)
                .AddOutput("label", DataType.Int64, "N"))
            .AddFloatInitializer("bias", bias, Classes)
            .AddNode("Add", "add", ["product", "bias"], ["logits"])
            .AddNode("Softmax", "softmax", ["logits"], ["probabilities"], OnnxAttributes.Int("axis", 1))
            .AddNode("ArgMax", "argmax", ["logits"], ["label"], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));
        return new OnnxModelBuilder(graph).Build();
    }

    private static TensorProto Int8Tensor(string name, sbyte[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int8, RawData = ByteString.CopyFrom((byte[])(Array)values) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
