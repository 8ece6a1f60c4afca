using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Quantization.Tests.Support;
using TestSupport;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class DynamicInt8QuantizerTests(OnnxRuntimeFixture ort) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Each_matmul_becomes_dynamic_quantize_matmul_integer_cast_and_rescale_with_the_float_bias_add_kept()
    {
        var result = DynamicInt8Quantizer.Quantize(TestModels.Mlp(1, 784, 64, 10));

        string[] layer = ["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Add"];
        Assert.Equal(["Sub", "Mul", .. layer, "Relu", .. layer, "Softmax", "ArgMax"], ModelInspection.OpTypes(result.Model));
        var graph = result.Model.Graph;
        Assert.Equal(["normalized"], graph.FindNode("layer0.matmul_quantize_input")!.Input);
        Assert.Equal(["layer0.product"], graph.FindNode("layer0.matmul_rescale")!.Output);
        Assert.Equal(["layer0.product", "layer0.bias"], graph.FindNode("layer0.add")!.Input);
        var cast = graph.FindNode("layer0.matmul_cast")!;
        Assert.Equal((long)DataType.Float, Assert.Single(cast.Attribute).I);
    }

    [Fact]
    public void Node_wiring_matches_the_pattern_onnx_runtime_fuses_into_its_int8_kernel()
    {
        var graph = DynamicInt8Quantizer.Quantize(TestModels.Mlp(2, 784, 32, 10)).Model.Graph;

        var quantize = graph.FindNode("layer1.matmul_quantize_input")!;
        var matMulInteger = graph.FindNode("layer1.matmul_matmul_integer")!;
        // ORT fuses only when each DynamicQuantizeLinear output has exactly one reader.
        foreach (var output in quantize.Output) Assert.Single(graph.FindConsumers(output));
        Assert.Equal([quantize.Output[0], "layer1.weight_quantized", quantize.Output[2], "layer1.weight_zero_point"], matMulInteger.Input);
        // The fused kernel takes the activation scale as the scale Mul's first input and the constant weight scale second.
        Assert.Equal([quantize.Output[1], "layer1.weight_scale"], graph.FindNode("layer1.matmul_scale_mul")!.Input);
        Assert.Equal(["layer1.matmul_product_float", "layer1.matmul_output_scale"], graph.FindNode("layer1.matmul_rescale")!.Input);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Weights_become_int8_initializers_with_float_scales_and_zero_zero_points_and_no_float_weight_remains(bool perChannel)
    {
        var model = DynamicInt8Quantizer.Quantize(TestModels.Mlp(3, 784, 64, 10), new DynamicQuantizationOptions { PerChannel = perChannel }).Model;

        Assert.Empty(ModelInspection.FloatMatrices(model));
        Assert.Null(model.Graph.FindInitializer("layer0.weight"));
        Assert.Equal(DataType.Int8, ModelInspection.TypeOf(model, "layer0.weight_quantized"));
        Assert.Equal([784L, 64], ModelInspection.DimsOf(model, "layer0.weight_quantized"));
        Assert.Equal([64L, 10], ModelInspection.DimsOf(model, "layer1.weight_quantized"));
        long[] scaleDims = perChannel ? [64] : [];
        Assert.Equal(DataType.Float, ModelInspection.TypeOf(model, "layer0.weight_scale"));
        Assert.Equal(scaleDims, ModelInspection.DimsOf(model, "layer0.weight_scale"));
        Assert.Equal(DataType.Int8, ModelInspection.TypeOf(model, "layer0.weight_zero_point"));
        Assert.Equal(scaleDims, ModelInspection.DimsOf(model, "layer0.weight_zero_point"));
        Assert.All(OnnxTensors.ToInt8s(model.Graph.GetInitializer("layer0.weight_zero_point")), zero => Assert.Equal(0, zero));
        // Normalizer and biases are not MatMul weights and stay float.
        Assert.Equal(DataType.Float, ModelInspection.TypeOf(model, "layer0.bias"));
        Assert.Equal(DataType.Float, ModelInspection.TypeOf(model, "normalizer.mean"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Quantized_model_passes_the_official_checker_with_full_shape_inference(bool perChannel)
    {
        var result = DynamicInt8Quantizer.Quantize(TestModels.Mlp(4, 784, 64, 10), new DynamicQuantizationOptions { PerChannel = perChannel });

        await ModelInspection.AssertPassesCheckerAsync(result.Model, _directory.Path, "dynamic.onnx");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Onnx_runtime_runs_the_quantized_model_with_predictions_close_to_float(bool perChannel)
    {
        var model = TestModels.Mlp(5, 784, 128, 64, 10);
        var quantized = DynamicInt8Quantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = perChannel }).Model;
        var rows = TestModels.PixelRows(seed: 50, rows: 2000);

        var expected = ModelExecution.Classify(ort.Environment, model, rows);
        var actual = ModelExecution.Classify(ort.Environment, quantized, rows);

        // The bound holds on every x86-64 CPU, not only this one: no weight pair can saturate a kernel without VNNI.
        Assert.False(U8S8Saturation.Analyze(quantized).CanSaturate);
        Assert.InRange(ModelExecution.Agreement(expected.Labels, actual.Labels), 0.97, 1.0);
        Assert.InRange(ModelExecution.MaxAbsDifference(expected.Probabilities, actual.Probabilities), 0, 0.1f);
        // Not just equal by accident: quantization does change the outputs.
        Assert.NotEqual(expected.Probabilities, actual.Probabilities);
    }

    [Fact]
    public void Serialized_model_shrinks_below_30_percent_of_float_and_summary_counts_initializer_bytes()
    {
        var model = TestModels.Mlp(6, 784, 256, 128, 10);

        var result = DynamicInt8Quantizer.Quantize(model);

        Assert.InRange(ModelInspection.SerializedSize(result.Model) / (double)ModelInspection.SerializedSize(model), 0.2, 0.3);
        var summary = result.Summary;
        Assert.Equal((QuantizationMethod.DynamicInt8, false, 3), (summary.Method, summary.PerChannel, summary.QuantizedNodeCount));
        Assert.Equal(["layer0.matmul", "layer1.matmul", "layer2.matmul"], summary.QuantizedNodes);
        Assert.Equal(model.Graph.Initializer.Sum(t => t.RawData.Length), summary.OriginalInitializerBytes);
        Assert.Equal(result.Model.Graph.Initializer.Sum(t => t.RawData.Length), summary.QuantizedInitializerBytes);
        Assert.InRange(summary.InitializerBytesRatio, 0.2, 0.3);
        Assert.Contains("rewrote 3 node(s)", summary.Message);
    }

    [Theory]
    [InlineData(false, "false")]
    [InlineData(true, "true")]
    public void Metadata_records_the_method_and_per_channel_flag_and_keeps_the_model_metadata(bool perChannel, string flag)
    {
        var model = DynamicInt8Quantizer.Quantize(TestModels.Mlp(7, 784, 16, 10), new DynamicQuantizationOptions { PerChannel = perChannel }).Model;

        Assert.Equal("dynamic_int8", model.FindMetadata(QuantizationMetadataKeys.Method));
        Assert.Equal(flag, model.FindMetadata(QuantizationMetadataKeys.PerChannel));
        Assert.Equal("int8", model.FindMetadata(QuantizationMetadataKeys.WeightType));
        Assert.Equal("uint8", model.FindMetadata(QuantizationMetadataKeys.ActivationType));
        Assert.Equal("test-mlp", model.FindMetadata("model_name"));
    }

    [Fact]
    public void Input_model_is_left_untouched()
    {
        var model = TestModels.Mlp(8, 784, 32, 10);
        var before = model.ToByteArray();

        DynamicInt8Quantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = true });

        Assert.Equal(before, model.ToByteArray());
    }

    [Theory]
    [InlineData(null, 63, "true")]   // the default: 7 bits, exact on every x86-64 CPU
    [InlineData(true, 63, "true")]
    [InlineData(false, 127, "false")] // full range, for fleets whose every CPU has VNNI
    public void Weight_range_is_seven_bits_by_default_eight_on_request_and_said_in_metadata(bool? reduceRange, int largest, string flag)
    {
        var options = reduceRange is { } reduce ? new DynamicQuantizationOptions { ReduceRange = reduce } : DynamicQuantizationOptions.Default;
        var model = DynamicInt8Quantizer.Quantize(TestModels.Mlp(9, 784, 32, 10), options).Model;

        var weights = OnnxTensors.ToInt8s(model.Graph.GetInitializer("layer0.weight_quantized"));
        Assert.Equal(largest, weights.Max(w => Math.Abs((int)w)));
        Assert.Equal(flag, model.FindMetadata(QuantizationMetadataKeys.ReduceRange));
    }

    [Fact]
    public void Excluded_nodes_stay_float_and_are_reported_as_skipped()
    {
        var options = new DynamicQuantizationOptions { ExcludedNodes = new HashSet<string> { "layer1.matmul" } };

        var result = DynamicInt8Quantizer.Quantize(TestModels.Mlp(10, 784, 32, 10), options);

        Assert.Equal(["layer0.matmul"], result.Summary.QuantizedNodes);
        Assert.Equal(["layer1.weight"], ModelInspection.FloatMatrices(result.Model));
        Assert.Equal("MatMul", result.Model.Graph.FindNode("layer1.matmul")!.OpType);
        var skipped = Assert.Single(result.Summary.SkippedNodes);
        Assert.Equal(("layer1.matmul", "MatMul"), (skipped.NodeName, skipped.OpType));
        Assert.Contains("excluded", skipped.Reason);
    }
}
