using Pipeline.Onnx;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Serving.Server.Tests.Support;

/// <summary>Small ONNX models with the served interface: input [N, 784] FP32 → probabilities [N, 10], label [N].</summary>
public static class TestModels
{
    public const int Features = 784;
    public const int Classes = 10;

    /// <summary>Softmax(x·W + b) and ArgMax, with fixed pseudo-random weights scaled for raw 0..255 pixels.</summary>
    public static string WriteClassifier(string path, string version, int seed = 42)
    {
        var random = new Random(seed);
        var weights = new float[Features * Classes];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() - 0.5) * 0.002f;
        var bias = new float[Classes];
        for (var i = 0; i < bias.Length; i++) bias[i] = (float)(random.NextDouble() - 0.5);

        var graph = new OnnxGraphBuilder("classifier")
            .AddInput("input", DataType.Float, "N", Features)
            .AddOutput("probabilities", DataType.Float, "N", Classes)
            .AddOutput("label", DataType.Int64, "N")
            .AddFloatInitializer("weight", weights, Features, Classes)
            .AddFloatInitializer("bias", bias, Classes)
            .AddNode("MatMul", "matmul", ["input", "weight"], ["product"])
            .AddNode("Add", "add", ["product", "bias"], ["logits"])
            .AddNode("Softmax", "softmax", ["logits"], ["probabilities"], OnnxAttributes.Int("axis", 1))
            .AddNode("ArgMax", "argmax", ["logits"], ["label"], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));
        var model = new OnnxModelBuilder(graph)
            .WithMetadata("model_name", "fashion-mnist")
            .WithMetadata("model_version", version)
            .WithMetadata("class_names", """["T-shirt/top","Trouser","Pullover","Dress","Coat","Sandal","Shirt","Sneaker","Bag","Ankle boot"]""")
            .Build();
        OnnxModelFile.WriteAtomically(model, path);
        return path;
    }

    /// <summary>Two inputs, a [N, 2] and b [N, 3], concatenated into "joined" [N, 5].</summary>
    public static string WriteTwoInputModel(string path)
    {
        var graph = new OnnxGraphBuilder("two_inputs")
            .AddInput("a", DataType.Float, "N", 2)
            .AddInput("b", DataType.Float, "N", 3)
            .AddOutput("joined", DataType.Float, "N", 5)
            .AddNode("Concat", "concat", ["a", "b"], ["joined"], OnnxAttributes.Int("axis", 1));
        OnnxModelFile.WriteAtomically(new OnnxModelBuilder(graph).Build(), path);
        return path;
    }

    /// <summary>A model the server must refuse: its input has a fixed batch size of 1.</summary>
    public static string WriteFixedBatchModel(string path)
    {
        var graph = new OnnxGraphBuilder("fixed")
            .AddInput("input", DataType.Float, 1, 4)
            .AddOutput("output", DataType.Float, 1, 4)
            .AddNode("Identity", "identity", ["input"], ["output"]);
        OnnxModelFile.WriteAtomically(new OnnxModelBuilder(graph).Build(), path);
        return path;
    }

    /// <summary>A model the server must refuse: its input is UINT8 and its output FP16, datatypes it does not serve.</summary>
    public static string WriteUnservedTypesModel(string path)
    {
        var graph = new OnnxGraphBuilder("unserved")
            .AddInput("pixels", DataType.Uint8, "N", 4)
            .AddOutput("half", DataType.Float16, "N", 4)
            .AddNode("Cast", "cast", ["pixels"], ["half"], OnnxAttributes.Int("to", (long)DataType.Float16));
        OnnxModelFile.WriteAtomically(new OnnxModelBuilder(graph).Build(), path);
        return path;
    }

    /// <summary>Pixel rows 0..255, different for each seed.</summary>
    public static float[] Pixels(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * Features];
        for (var i = 0; i < values.Length; i++) values[i] = random.Next(256);
        return values;
    }
}
