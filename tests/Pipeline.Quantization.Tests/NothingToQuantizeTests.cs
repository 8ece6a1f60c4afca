using Pipeline.Stages;
using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Pipeline.Quantization.Calibration;
using Pipeline.Quantization.Tests.Support;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class NothingToQuantizeTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void Model_without_matmul_comes_back_unchanged_with_a_summary_saying_so()
    {
        var model = ReluOnly();

        var result = DynamicInt8Quantizer.Quantize(model);

        Assert.True(result.Summary.IsUnchanged);
        Assert.Equal(0, result.Summary.QuantizedNodeCount);
        Assert.Equal(result.Summary.OriginalInitializerBytes, result.Summary.QuantizedInitializerBytes);
        Assert.Contains("nothing was quantized", result.Summary.Message);
        Assert.Equal(model.ToByteArray(), result.Model.ToByteArray());
        Assert.NotSame(model, result.Model);
    }

    [Fact]
    public async Task Static_quantization_of_a_model_without_matmul_is_a_no_op_without_calibrating()
    {
        var model = ReluOnly();
        var data = new InMemoryCalibrationDataSource("input", new float[8], 4);

        var result = await StaticQdqQuantizer.QuantizeAsync(model, data, new OnnxRuntimeCalibrationRunner(ort.Environment));

        Assert.True(result.Summary.IsUnchanged);
        Assert.Equal(model.ToByteArray(), result.Model.ToByteArray());
        Assert.Null(result.Model.FindMetadata(QuantizationMetadataKeys.Method));
    }

    [Fact]
    public void Matmul_of_two_computed_tensors_is_skipped_with_the_reason_in_the_message()
    {
        var graph = new OnnxGraphBuilder("runtime-weight")
            .AddInput("a", DataType.Float, "N", 4)
            .AddInput("b", DataType.Float, 4, 3)
            .AddOutput("y", DataType.Float, "N", 3)
            .AddNode("MatMul", "attention_scores", ["a", "b"], ["y"]);

        var result = DynamicInt8Quantizer.Quantize(new OnnxModelBuilder(graph).Build());

        Assert.True(result.Summary.IsUnchanged);
        var skipped = Assert.Single(result.Summary.SkippedNodes);
        Assert.Equal("attention_scores", skipped.NodeName);
        Assert.Contains("'b' is computed at run time", skipped.Reason);
        Assert.Contains("attention_scores", result.Summary.Message);
    }

    [Fact]
    public void Weight_that_is_also_a_graph_input_is_not_treated_as_constant()
    {
        var graph = new OnnxGraphBuilder("overridable")
            .AddInput("input", DataType.Float, "N", 4)
            .AddInput("weight", DataType.Float, 4, 3)
            .AddOutput("y", DataType.Float, "N", 3)
            .AddFloatInitializer("weight", new float[12], 4, 3)
            .AddNode("MatMul", "matmul", ["input", "weight"], ["y"]);

        var result = DynamicInt8Quantizer.Quantize(new OnnxModelBuilder(graph).Build());

        Assert.Contains("also a graph input", Assert.Single(result.Summary.SkippedNodes).Reason);
    }

    [Fact]
    public void Model_importing_an_opset_too_old_for_the_inserted_operators_is_rejected_with_how_to_fix_it()
    {
        var model = TestModels.Mlp(1, 784, 8, 10);
        model.SetOpsetImport("", 10);

        var dynamic = Assert.Throws<ArgumentException>(() => DynamicInt8Quantizer.Quantize(model));
        var qdq = Assert.Throws<ArgumentException>(() => StaticQdqQuantizer.FindActivations(model));

        Assert.Contains("opset 11", dynamic.Message);
        Assert.Contains("imports opset 10", dynamic.Message);
        Assert.Contains("opset 13", qdq.Message);
    }

    private static ModelProto ReluOnly() => new OnnxModelBuilder(new OnnxGraphBuilder("relu")
            .AddInput("input", DataType.Float, "N", 4)
            .AddOutput("y", DataType.Float, "N", 4)
            .AddFloatInitializer("offset", [1, 2, 3, 4], 4)
            .AddNode("Add", "add", ["input", "offset"], ["shifted"])
            .AddNode("Relu", "relu", ["shifted"], ["y"]))
        .Build();
}
