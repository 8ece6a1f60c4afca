using Pipeline.Stages;
using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Pipeline.Quantization.Calibration;
using Pipeline.Quantization.Tests.Support;
using TestSupport;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class StaticQdqQuantizerTests(OnnxRuntimeFixture ort) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly OnnxRuntimeCalibrationRunner _runner = new(ort.Environment);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Each_matmul_reads_dequantized_activation_and_dequantized_int8_weight()
    {
        var result = await QuantizeAsync(TestModels.Mlp(1, 784, 64, 10));

        string[] layer = ["QuantizeLinear", "DequantizeLinear", "DequantizeLinear", "MatMul", "Add"];
        Assert.Equal(["Sub", "Mul", .. layer, "Relu", .. layer, "Softmax", "ArgMax"], ModelInspection.OpTypes(result.Model));
        var graph = result.Model.Graph;
        Assert.Equal(["normalized", "normalized_scale", "normalized_zero_point"], graph.FindNode("normalized_quantize")!.Input);
        Assert.Equal(["normalized_quantized", "normalized_scale", "normalized_zero_point"], graph.FindNode("layer0.matmul_dequantize_input")!.Input);
        Assert.Equal(["layer0.weight_quantized", "layer0.weight_scale", "layer0.weight_zero_point"], graph.FindNode("layer0.matmul_dequantize_weight")!.Input);
        var matMul = graph.FindNode("layer0.matmul")!;
        Assert.Equal(["layer0.matmul_input_dequantized", "layer0.matmul_weight_dequantized"], matMul.Input);
        Assert.Equal(["layer0.product"], matMul.Output);
    }

    [Theory]
    [InlineData(false, ActivationType.UInt8)]
    [InlineData(true, ActivationType.UInt8)]
    [InlineData(true, ActivationType.Int8)]
    public async Task Initializers_are_int8_weights_with_scalar_activation_parameters_of_the_chosen_type(bool perChannel, ActivationType activationType)
    {
        var model = (await QuantizeAsync(TestModels.Mlp(2, 784, 64, 10), new() { PerChannel = perChannel, ActivationType = activationType })).Model;

        Assert.Empty(ModelInspection.FloatMatrices(model));
        Assert.Equal(DataType.Int8, ModelInspection.TypeOf(model, "layer0.weight_quantized"));
        Assert.Equal([784L, 64], ModelInspection.DimsOf(model, "layer0.weight_quantized"));
        long[] weightScaleDims = perChannel ? [64] : [];
        Assert.Equal(weightScaleDims, ModelInspection.DimsOf(model, "layer0.weight_scale"));
        Assert.Equal(weightScaleDims, ModelInspection.DimsOf(model, "layer0.weight_zero_point"));
        var axis = model.Graph.FindNode("layer0.matmul_dequantize_weight")!.Attribute.Select(a => (a.Name, a.I));
        Assert.Equal(perChannel ? [("axis", 1L)] : [], axis);

        Assert.Equal(DataType.Float, ModelInspection.TypeOf(model, "layer0.activation_scale"));
        Assert.Empty(ModelInspection.DimsOf(model, "layer0.activation_scale"));
        Assert.Equal(activationType == ActivationType.UInt8 ? DataType.Uint8 : DataType.Int8, ModelInspection.TypeOf(model, "layer0.activation_zero_point"));
        Assert.Equal(activationType == ActivationType.UInt8 ? "uint8" : "int8", model.FindMetadata(QuantizationMetadataKeys.ActivationType));
    }

    [Fact]
    public async Task Relu_output_range_starts_at_zero_so_its_uint8_zero_point_is_zero()
    {
        var model = (await QuantizeAsync(TestModels.Mlp(3, 784, 64, 10))).Model;

        Assert.Equal([(byte)0], OnnxTensors.ToUInt8s(model.Graph.GetInitializer("layer0.activation_zero_point")));
        // Normalized pixels are mostly negative (background below the mean), so the zero point sits high.
        Assert.InRange(OnnxTensors.ToUInt8s(model.Graph.GetInitializer("normalized_zero_point"))[0], 64, 254);
    }

    [Theory]
    [InlineData(false, ActivationType.UInt8)]
    [InlineData(true, ActivationType.UInt8)]
    [InlineData(true, ActivationType.Int8)]
    public async Task Quantized_model_passes_the_official_checker_with_full_shape_inference(bool perChannel, ActivationType activationType)
    {
        var result = await QuantizeAsync(TestModels.Mlp(4, 784, 64, 10), new() { PerChannel = perChannel, ActivationType = activationType });

        await ModelInspection.AssertPassesCheckerAsync(result.Model, _directory.Path, "qdq.onnx");
    }

    [Theory]
    [InlineData(false, ActivationType.UInt8, "minmax")]
    [InlineData(true, ActivationType.UInt8, "minmax")]
    [InlineData(true, ActivationType.Int8, "minmax")]
    [InlineData(true, ActivationType.UInt8, "percentile")]
    public async Task Onnx_runtime_runs_the_quantized_model_with_predictions_close_to_float(bool perChannel, ActivationType activationType, string calibration)
    {
        var model = TestModels.Mlp(5, 784, 128, 64, 10);
        var options = new StaticQuantizationOptions
        {
            PerChannel = perChannel,
            ActivationType = activationType,
            Calibration = calibration == "minmax" ? CalibrationMethod.MinMax : CalibrationMethod.Percentile(99.99),
        };
        var quantized = (await QuantizeAsync(model, options)).Model;
        // Different rows from the calibration sample, so the test sees generalization, not memorized ranges.
        var rows = TestModels.PixelRows(seed: 60, rows: 2000);

        var expected = ModelExecution.Classify(ort.Environment, model, rows);
        var actual = ModelExecution.Classify(ort.Environment, quantized, rows);

        // The bound holds on every x86-64 CPU, not only this one: no weight pair can saturate a kernel without VNNI.
        Assert.False(U8S8Saturation.Analyze(quantized).CanSaturate);
        Assert.InRange(ModelExecution.Agreement(expected.Labels, actual.Labels), 0.97, 1.0);
        Assert.InRange(ModelExecution.MaxAbsDifference(expected.Probabilities, actual.Probabilities), 0, 0.1f);
        Assert.NotEqual(expected.Probabilities, actual.Probabilities);
    }

    [Fact]
    public async Task Serialized_model_shrinks_below_30_percent_of_float()
    {
        var model = TestModels.Mlp(6, 784, 256, 128, 10);

        var result = await QuantizeAsync(model, new() { PerChannel = true });

        Assert.InRange(ModelInspection.SerializedSize(result.Model) / (double)ModelInspection.SerializedSize(model), 0.2, 0.3);
        Assert.Equal((QuantizationMethod.StaticQdq, true, 3), (result.Summary.Method, result.Summary.PerChannel, result.Summary.QuantizedNodeCount));
    }

    [Fact]
    public async Task Metadata_records_method_calibration_and_sample_count()
    {
        var options = new StaticQuantizationOptions { Calibration = CalibrationMethod.Percentile(99.9) };

        var model = (await QuantizeAsync(TestModels.Mlp(7, 784, 16, 10), options, rows: 300)).Model;

        Assert.Equal("static_qdq", model.FindMetadata(QuantizationMetadataKeys.Method));
        Assert.Equal("false", model.FindMetadata(QuantizationMetadataKeys.PerChannel));
        Assert.Equal("percentile_99.9", model.FindMetadata(QuantizationMetadataKeys.Calibration));
        Assert.Equal("true", model.FindMetadata(QuantizationMetadataKeys.ReduceRange));
        Assert.Equal(63, OnnxTensors.ToInt8s(model.Graph.GetInitializer("layer0.weight_quantized")).Max(w => Math.Abs((int)w)));
        Assert.Equal("300", model.FindMetadata(QuantizationMetadataKeys.CalibrationSamples));
    }

    [Fact]
    public async Task Input_model_is_left_untouched()
    {
        var model = TestModels.Mlp(8, 784, 32, 10);
        var before = model.ToByteArray();

        await QuantizeAsync(model, new() { PerChannel = true });

        Assert.Equal(before, model.ToByteArray());
    }

    [Fact]
    public async Task Activation_shared_by_two_matmuls_is_quantized_once_and_dequantized_for_each()
    {
        var random = new Random(9);
        var graph = new OnnxGraphBuilder("two-heads")
            .AddInput("input", DataType.Float, "N", 16)
            .AddOutput("a", DataType.Float, "N", 4)
            .AddOutput("b", DataType.Float, "N", 4)
            .AddFloatInitializer("wa", TestModels.Uniform(random, 64, 1), 16, 4)
            .AddFloatInitializer("wb", TestModels.Uniform(random, 64, 1), 16, 4)
            .AddNode("MatMul", "head_a", ["input", "wa"], ["a"])
            .AddNode("MatMul", "head_b", ["input", "wb"], ["b"]);
        var model = new OnnxModelBuilder(graph).Build();
        var data = new InMemoryCalibrationDataSource("input", TestModels.Uniform(random, 16 * 100, 3), 16);

        var result = await StaticQdqQuantizer.QuantizeAsync(model, data, _runner);

        Assert.Equal(["QuantizeLinear", "DequantizeLinear", "DequantizeLinear", "MatMul", "DequantizeLinear", "DequantizeLinear", "MatMul"],
            ModelInspection.OpTypes(result.Model));
        Assert.Equal(2, result.Model.Graph.FindConsumers("input_quantized").Count);
        await ModelInspection.AssertPassesCheckerAsync(result.Model, _directory.Path, "two-heads.onnx");
    }

    [Fact]
    public async Task Calibration_batch_naming_an_unknown_input_is_rejected_with_the_model_inputs_listed()
    {
        var data = new InMemoryCalibrationDataSource("pixels", TestModels.PixelRows(1, 4), TestModels.Features);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            StaticQdqQuantizer.QuantizeAsync(TestModels.Mlp(10, 784, 8, 10), data, _runner));

        Assert.Contains("'pixels'", error.Message);
        Assert.Contains("[input]", error.Message);
    }

    [Fact]
    public void Ranges_missing_from_a_given_calibration_are_named()
    {
        var calibration = new CalibrationResult(new Dictionary<string, TensorRange> { ["normalized"] = new(-1, 3) }, CalibrationMethod.MinMax, 10);

        var error = Assert.Throws<ArgumentException>(() => StaticQdqQuantizer.Quantize(TestModels.Mlp(11, 784, 8, 10), calibration));

        Assert.Contains("'layer0.activation'", error.Message);
        Assert.Contains("'layer1.matmul'", error.Message);
    }

    private Task<QuantizationResult> QuantizeAsync(ModelProto model, StaticQuantizationOptions? options = null, int rows = 1000) =>
        StaticQdqQuantizer.QuantizeAsync(model,
            new InMemoryCalibrationDataSource("input", TestModels.PixelRows(seed: 99, rows), TestModels.Features, batchSize: 128),
            _runner, options);
}
