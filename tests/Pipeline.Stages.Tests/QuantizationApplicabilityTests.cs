using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Stages.Tests;

/// <summary>Quantize applies where there are weights to quantize and says "not applicable" for ML.NET's tree and linear ops.</summary>
public sealed class QuantizationApplicabilityTests
{
    [Fact]
    public void A_tree_ensemble_is_not_applicable_and_names_its_op()
    {
        var node = new NodeProto { OpType = "TreeEnsembleClassifier", Domain = "ai.onnx.ml", Name = "trees" };
        node.Input.Add("x");
        node.Output.Add("label");

        var described = QuantizationApplicability.Describe(Model(node).ToByteArray());

        Assert.Equal("quantization not applicable: its work is in TreeEnsembleClassifier (ai.onnx.ml), which has no int8 form", described);
    }

    [Fact]
    public void A_matmul_makes_it_applicable()
    {
        var node = new NodeProto { OpType = "MatMul", Name = "matmul" };
        node.Input.Add("x");
        node.Input.Add("x");
        node.Output.Add("label");

        Assert.True(QuantizationApplicability.Applies(Model(node)));
    }

    private static ModelProto Model(NodeProto node) => new OnnxModelBuilder(new OnnxGraphBuilder("g")
            .AddInput("x", DataType.Float, "N", 2)
            .AddOutput("label", DataType.Float, "N", 2)
            .AddNode(node))
        .WithOpsetImport("ai.onnx.ml", 2)
        .Build();
}
