using Pipeline.Stages;
using Pipeline.Onnx;
using Google.Protobuf;
using Pipeline.Onnx.Protos;
using Pipeline.OnnxRuntime;
using Pipeline.Quantization.Calibration;
using Pipeline.Quantization.Tests.Support;
using TestSupport;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class GemmQuantizationTests(OnnxRuntimeFixture ort) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private float[] Run(ModelProto model, float[] rows, float[] bias)
    {
        using var session = new InferenceSession(ort.Environment, model.ToByteArray());
        var inputs = new[] { NamedTensor.Create("input", rows, rows.Length / 8, 8), NamedTensor.Create("c", bias, bias.Length) };
        return session.Run(inputs, ["y"])[0].Tensor.As<float>().ToArray();
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float value) => 0;
    }

    [Theory]
    [InlineData(1f, 1f)]
    [InlineData(0.5f, 2f)]
    public void Splitting_gemm_into_matmul_and_add_computes_the_same_outputs_in_float(float alpha, float beta)
    {
        var model = TestModels.GemmMlp(1, alpha, beta, 784, 32, 10);
        var rows = TestModels.PixelRows(seed: 1, rows: 200);

        var split = QuantizationRewrite.Begin(model, "test", 11, new HashSet<string>()).Model;

        Assert.DoesNotContain("Gemm", ModelInspection.OpTypes(split));
        var expected = ModelExecution.Classify(ort.Environment, model, rows);
        var actual = ModelExecution.Classify(ort.Environment, split, rows);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.InRange(ModelExecution.MaxAbsDifference(expected.Probabilities, actual.Probabilities), 0, 1e-5f);
    }

    [Fact]
    public void Transposed_gemm_weight_is_stored_as_int8_in_matmul_layout_and_the_float_original_is_dropped()
    {
        var result = DynamicInt8Quantizer.Quantize(TestModels.GemmMlp(2, 1f, 1f, 784, 32, 10));

        var model = result.Model;
        string[] layer = ["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Add"];
        Assert.Equal(["Sub", "Mul", .. layer, "Relu", .. layer, "Softmax", "ArgMax"], ModelInspection.OpTypes(model));
        Assert.Empty(ModelInspection.FloatMatrices(model));
        Assert.Null(model.Graph.FindInitializer("layer0.weight"));
        // The Gemm weight was [out, in] with transB=1; MatMulInteger needs [in, out].
        Assert.Equal([784L, 32], ModelInspection.DimsOf(model, "layer0.weight_as_matmul_weight_quantized"));
        Assert.Equal(["layer0.gemm", "layer1.gemm"], result.Summary.QuantizedNodes);
        Assert.Equal(["layer0.gemm_product", "layer0.bias"], model.Graph.FindNode("layer0.gemm_bias_add")!.Input);
    }

    [Fact]
    public async Task Quantized_gemm_model_with_alpha_and_beta_runs_close_to_float_and_passes_the_checker()
    {
        var model = TestModels.GemmMlp(3, 0.5f, 2f, 784, 128, 10);
        var rows = TestModels.PixelRows(seed: 3, rows: 2000);

        var dynamic = DynamicInt8Quantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = true }).Model;
        var data = new InMemoryCalibrationDataSource("input", TestModels.PixelRows(seed: 4, rows: 500), TestModels.Features);
        var qdq = (await StaticQdqQuantizer.QuantizeAsync(model, data, new OnnxRuntimeCalibrationRunner(ort.Environment))).Model;

        var expected = ModelExecution.Classify(ort.Environment, model, rows);
        foreach (var quantized in new[] { dynamic, qdq })
        {
            var actual = ModelExecution.Classify(ort.Environment, quantized, rows);
            Assert.InRange(ModelExecution.Agreement(expected.Labels, actual.Labels), 0.97, 1.0);
            Assert.InRange(ModelExecution.MaxAbsDifference(expected.Probabilities, actual.Probabilities), 0, 0.1f);
        }
        // beta = 2 is folded into a scaled copy of the bias.
        Assert.Equal(["layer0.gemm_product", "layer0.bias_times_beta"], dynamic.Graph.FindNode("layer0.gemm_bias_add")!.Input);
        await ModelInspection.AssertPassesCheckerAsync(dynamic, _directory.Path, "gemm-dynamic.onnx");
        await ModelInspection.AssertPassesCheckerAsync(qdq, _directory.Path, "gemm-qdq.onnx");
    }

    [Fact]
    public void Gemm_without_bias_becomes_a_lone_matmul_and_a_computed_bias_is_scaled_by_beta_with_a_mul()
    {
        var random = new Random(6);
        var graph = new OnnxGraphBuilder("gemm-variants")
            .AddInput("input", DataType.Float, "N", 8)
            .AddInput("c", DataType.Float, 4)
            .AddOutput("y", DataType.Float, "N", 4)
            .AddFloatInitializer("w0", TestModels.Uniform(random, 64, 1), 8, 8)
            .AddFloatInitializer("w1", TestModels.Uniform(random, 32, 1), 8, 4)
            .AddNode("Gemm", "no_bias", ["input", "w0"], ["hidden"])
            .AddNode("Gemm", "computed_bias", ["hidden", "w1", "c"], ["y"], OnnxAttributes.Float("beta", 0.5f));
        var model = new OnnxModelBuilder(graph).Build();
        var (rows, bias) = (TestModels.Uniform(random, 3 * 8, 2), TestModels.Uniform(random, 4, 2));

        var split = QuantizationRewrite.Begin(model, "test", 11, new HashSet<string>()).Model;

        Assert.Equal(["MatMul", "MatMul", "Mul", "Add"], ModelInspection.OpTypes(split));
        Assert.Equal(["hidden"], split.Graph.Node[0].Output);
        Assert.Equal(["c", "computed_bias_beta"], split.Graph.FindNode("computed_bias_bias_mul")!.Input);
        Assert.Equal(Run(model, rows, bias), Run(split, rows, bias), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Gemm_with_transposed_activation_is_left_in_float_with_the_reason()
    {
        var random = new Random(5);
        var graph = new OnnxGraphBuilder("trans-a")
            .AddInput("input", DataType.Float, 8, "N")
            .AddOutput("y", DataType.Float, "N", 4)
            .AddFloatInitializer("w", TestModels.Uniform(random, 32, 1), 8, 4)
            .AddNode("Gemm", "gemm", ["input", "w"], ["y"], OnnxAttributes.Int("transA", 1));

        var result = DynamicInt8Quantizer.Quantize(new OnnxModelBuilder(graph).Build());

        Assert.True(result.Summary.IsUnchanged);
        Assert.Contains("transA=1", Assert.Single(result.Summary.SkippedNodes).Reason);
        Assert.Equal(["Gemm"], ModelInspection.OpTypes(result.Model));
    }
}
