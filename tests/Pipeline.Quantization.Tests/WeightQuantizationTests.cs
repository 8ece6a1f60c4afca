using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests;

public sealed class WeightQuantizationTests
{
    // A [3, 2] weight: column 0 spans ±2.54, column 1 spans ±0.127 and holds a value exactly between two levels.
    private static readonly float[] Weight = [2.54f, 0.127f, -1.27f, -0.0635f, 0.01f, 0.0005f];

    [Fact]
    public void Per_tensor_scale_is_max_abs_over_127_with_values_rounded_to_the_nearest_level()
    {
        var quantized = SymmetricWeightQuantizer.Quantize(OnnxTensors.FromFloats("w", Weight, 3, 2), perChannel: false, 127);

        Assert.Equal([0.02f], quantized.Scales);
        Assert.Equal([127, 6, -64, -3, 0, 0], quantized.Values.Select(v => (int)v));
    }

    [Fact]
    public void Per_channel_scales_follow_each_output_column_and_ties_round_to_even()
    {
        var quantized = SymmetricWeightQuantizer.Quantize(OnnxTensors.FromFloats("w", Weight, 3, 2), perChannel: true, 127);

        Assert.Equal([0.02f, 0.001f], quantized.Scales);
        // -0.0635 / 0.001 = -63.5 rounds to the even -64; 0.0005 / 0.001 = 0.5 rounds to 0.
        Assert.Equal([127, 127, -64, -64, 0, 0], quantized.Values.Select(v => (int)v));
    }

    [Fact]
    public void All_zero_column_gets_scale_one_and_zero_values_instead_of_dividing_by_zero()
    {
        var quantized = SymmetricWeightQuantizer.Quantize(OnnxTensors.FromFloats("w", [1f, 0f, -2f, 0f], 2, 2), perChannel: true, 127);

        Assert.Equal([2f / 127, 1f], quantized.Scales);
        Assert.Equal([64, 0, -127, 0], quantized.Values.Select(v => (int)v));
    }

    [Fact]
    public void Non_finite_weight_is_rejected_naming_the_tensor_and_position()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            SymmetricWeightQuantizer.Quantize(OnnxTensors.FromFloats("layer3.weight", [1f, float.NaN], 1, 2), perChannel: false, 127));

        Assert.Contains("'layer3.weight'", error.Message);
        Assert.Contains("row 0, column 1", error.Message);
    }

    [Fact]
    public void Weight_shared_by_two_matmuls_is_stored_once()
    {
        var graph = new OnnxGraphBuilder("tied")
            .AddInput("input", DataType.Float, "N", 4)
            .AddOutput("y", DataType.Float, "N", 4)
            .AddFloatInitializer("w", Enumerable.Range(0, 16).Select(i => i / 16f).ToArray(), 4, 4)
            .AddNode("MatMul", "", ["input", "w"], ["hidden"])
            .AddNode("MatMul", "", ["hidden", "w"], ["y"]);

        var result = DynamicInt8Quantizer.Quantize(new OnnxModelBuilder(graph).Build());

        Assert.Equal(["w_quantized", "w_scale", "w_zero_point"], result.Model.Graph.Initializer.Select(t => t.Name));
        // Unnamed nodes are labelled by their output.
        Assert.Equal(["hidden", "y"], result.Summary.QuantizedNodes);
        Assert.NotNull(result.Model.Graph.FindNode("hidden_matmul_integer"));
    }

    [Fact]
    public void Inserted_names_never_collide_with_names_the_model_already_uses()
    {
        var graph = new OnnxGraphBuilder("collide")
            .AddInput("input", DataType.Float, "N", 2)
            .AddOutput("y", DataType.Float, "N", 2)
            .AddOutput("w_quantized", DataType.Float, "N", 2)
            .AddFloatInitializer("w", [1, 2, 3, 4], 2, 2)
            .AddNode("MatMul", "mm", ["input", "w"], ["y"])
            .AddNode("Identity", "mm_cast", ["y"], ["w_quantized"]);

        var model = DynamicInt8Quantizer.Quantize(new OnnxModelBuilder(graph).Build()).Model;

        Assert.Equal(DataType.Int8, (DataType)model.Graph.GetInitializer("w_quantized_1").DataType);
        Assert.Equal("Cast", model.Graph.FindNode("mm_cast_1")!.OpType);
        OnnxModelValidator.Validate(model);
    }

    [Fact]
    public void Integer_tensors_round_trip_through_raw_data_and_read_int32_data_from_other_tools()
    {
        Assert.Equal([-128, 0, 127], OnnxTensors.ToInt8s(OnnxTensors.FromInt8s("a", [-128, 0, 127], 3)).Select(v => (int)v));
        Assert.Equal([0, 255], OnnxTensors.ToUInt8s(OnnxTensors.FromUInt8s("b", [0, 255], 2)).Select(v => (int)v));
        var typed = new TensorProto { Name = "c", DataType = (int)DataType.Int8, Dims = { 2 }, Int32Data = { -5, 7 } };
        Assert.Equal([-5, 7], OnnxTensors.ToInt8s(typed).Select(v => (int)v));
        Assert.Throws<ArgumentException>(() => OnnxTensors.FromInt8s("d", [1, 2], 3));
    }
}
