using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests.Support;

/// <summary>
/// Seeded models of the shapes the pipeline quantizes: the exporter's MLP form (Sub, Mul normalizer; MatMul + Add
/// layers with ReLU between; Softmax and ArgMax), the same network in Gemm form, and single layers.
/// </summary>
internal static class TestModels
{
    public const int Features = 784;
    public const int Classes = 10;

    // Fashion-MNIST pixel statistics, so normalized activations have a realistic spread.
    private const float PixelMean = 72.9f;
    private const float PixelStd = 90.0f;

    /// <summary>The exporter's form, layer sizes from input to logits, e.g. (784, 64, 10).</summary>
    public static ModelProto Mlp(int seed, params int[] sizes)
    {
        var random = new Random(seed);
        var graph = NetworkGraph(random);
        var current = "normalized";
        for (var i = 0; i + 1 < sizes.Length; i++)
        {
            var (weight, bias) = Layer(random, sizes[i], sizes[i + 1]);
            var isLast = i + 2 == sizes.Length;
            var linear = isLast ? "logits" : $"layer{i}.linear";
            graph
                .AddFloatInitializer($"layer{i}.weight", weight, sizes[i], sizes[i + 1])
                .AddFloatInitializer($"layer{i}.bias", bias, sizes[i + 1])
                .AddNode("MatMul", $"layer{i}.matmul", [current, $"layer{i}.weight"], [$"layer{i}.product"])
                .AddNode("Add", $"layer{i}.add", [$"layer{i}.product", $"layer{i}.bias"], [linear]);
            current = isLast ? linear : Relu(graph, i, linear);
        }
        return Finish(graph, current, sizes[^1]);
    }

    /// <summary>The same kind of network written as Gemm nodes with transposed [out, in] weights (transB=1), as PyTorch exports Linear.</summary>
    public static ModelProto GemmMlp(int seed, float alpha, float beta, params int[] sizes)
    {
        var random = new Random(seed);
        var graph = NetworkGraph(random);
        var current = "normalized";
        for (var i = 0; i + 1 < sizes.Length; i++)
        {
            var (weight, bias) = Layer(random, sizes[i], sizes[i + 1]);
            var isLast = i + 2 == sizes.Length;
            var output = isLast ? "logits" : $"layer{i}.linear";
            graph
                .AddFloatInitializer($"layer{i}.weight", Transpose(weight, sizes[i], sizes[i + 1]), sizes[i + 1], sizes[i])
                .AddFloatInitializer($"layer{i}.bias", bias, sizes[i + 1])
                .AddNode("Gemm", $"layer{i}.gemm", [current, $"layer{i}.weight", $"layer{i}.bias"], [output],
                    OnnxAttributes.Int("transB", 1), OnnxAttributes.Float("alpha", alpha), OnnxAttributes.Float("beta", beta));
            current = isLast ? output : Relu(graph, i, output);
        }
        return Finish(graph, current, sizes[^1]);
    }

    /// <summary>input [N, rows] → MatMul(weight [rows, columns]) → Add(bias) → y [N, columns].</summary>
    public static ModelProto SingleLayer(float[] weight, int rows, int columns, float[] bias)
    {
        var graph = new OnnxGraphBuilder("single-layer")
            .AddInput("input", DataType.Float, "N", rows)
            .AddOutput("y", DataType.Float, "N", columns)
            .AddFloatInitializer("weight", weight, rows, columns)
            .AddFloatInitializer("bias", bias, columns)
            .AddNode("MatMul", "matmul", ["input", "weight"], ["product"])
            .AddNode("Add", "add", ["product", "bias"], ["y"]);
        return new OnnxModelBuilder(graph).Build();
    }

    public static float[] Uniform(Random random, int count, double limit) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * limit)).ToArray();

    /// <summary>Rows that look like clothing images to the network: a dark background and a bright, textured object.</summary>
    public static float[] PixelRows(int seed, int rows)
    {
        var random = new Random(seed);
        var data = new float[rows * Features];
        for (var r = 0; r < rows; r++)
        {
            var (centerX, centerY) = (10 + random.Next(8), 10 + random.Next(8));
            var (width, height) = (4 + random.Next(9), 5 + random.Next(9));
            var brightness = 80 + random.Next(176);
            for (var y = 0; y < 28; y++)
                for (var x = 0; x < 28; x++)
                {
                    var inside = Math.Abs(x - centerX) <= width && Math.Abs(y - centerY) <= height;
                    data[r * Features + y * 28 + x] = inside ? Math.Clamp(brightness + random.Next(-60, 61), 0, 255) : 0;
                }
        }
        return data;
    }

    private static OnnxGraphBuilder NetworkGraph(Random random)
    {
        var mean = Enumerable.Range(0, Features).Select(_ => PixelMean * (float)(0.5 + random.NextDouble())).ToArray();
        var inverseStd = Enumerable.Range(0, Features).Select(_ => 1f / (PixelStd * (float)(0.5 + random.NextDouble()))).ToArray();
        return new OnnxGraphBuilder("test-mlp")
            .AddInput("input", DataType.Float, "N", Features)
            .AddFloatInitializer("normalizer.mean", mean, Features)
            .AddFloatInitializer("normalizer.inverse_std", inverseStd, Features)
            .AddNode("Sub", "normalizer.sub", ["input", "normalizer.mean"], ["normalizer.centered"])
            .AddNode("Mul", "normalizer.mul", ["normalizer.centered", "normalizer.inverse_std"], ["normalized"]);
    }

    // Glorot-uniform weights, the usual initialization for such layers.
    private static (float[] Weight, float[] Bias) Layer(Random random, int inputs, int outputs) =>
        (Uniform(random, inputs * outputs, Math.Sqrt(6.0 / (inputs + outputs))), Uniform(random, outputs, 0.1));

    private static string Relu(OnnxGraphBuilder graph, int layer, string input)
    {
        graph.AddNode("Relu", $"layer{layer}.relu", [input], [$"layer{layer}.activation"]);
        return $"layer{layer}.activation";
    }

    private static ModelProto Finish(OnnxGraphBuilder graph, string logits, int classes)
    {
        graph
            .AddOutput("probabilities", DataType.Float, "N", classes)
            .AddOutput("label", DataType.Int64, "N")
            .AddNode("Softmax", "softmax", [logits], ["probabilities"], OnnxAttributes.Int("axis", 1))
            .AddNode("ArgMax", "argmax", [logits], ["label"], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));
        return new OnnxModelBuilder(graph).WithMetadata("model_name", "test-mlp").Build();
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                result[c * rows + r] = values[r * columns + c];
        return result;
    }
}
