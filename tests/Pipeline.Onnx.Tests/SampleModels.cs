using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx.Tests;

/// <summary>Small graphs the tests build on: y = Relu(x · W + b) with a symbolic batch dimension.</summary>
internal static class SampleModels
{
    public static readonly float[] Weight = [0.5f, -1.25f, 2f, 3.5f, -0.75f, 1e-3f];
    public static readonly float[] Bias = [0.1f, -0.2f];

    public static OnnxGraphBuilder DenseRelu() =>
        new OnnxGraphBuilder("dense_relu")
            .AddInput("x", DataType.Float, "N", 3)
            .AddOutput("y", DataType.Float, "N", 2)
            .AddFloatInitializer("W", Weight, 3, 2)
            .AddFloatInitializer("b", Bias, 2)
            .AddNode("MatMul", "matmul", ["x", "W"], ["xw"])
            .AddNode("Add", "add", ["xw", "b"], ["xwb"])
            .AddNode("Relu", "relu", ["xwb"], ["y"]);

    public static ModelProto DenseReluModel() => new OnnxModelBuilder(DenseRelu()).Build();
}
