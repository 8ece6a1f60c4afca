using Google.Protobuf;
using Pipeline.Onnx.Protos;
using AttributeType = Pipeline.Onnx.Protos.AttributeProto.Types.AttributeType;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx.Tests;

public sealed class OnnxModelBuilderTests
{
    [Fact]
    public void Model_defaults_to_ir_version_8_and_default_domain_opset_17()
    {
        var model = RoundTrip(SampleModels.DenseReluModel());

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal("", opset.Domain);
        Assert.Equal(17, opset.Version);
    }

    [Fact]
    public void Inputs_and_outputs_keep_element_type_and_fixed_and_symbolic_dims()
    {
        var graph = RoundTrip(SampleModels.DenseReluModel()).Graph;

        var input = Assert.Single(graph.Input);
        Assert.Equal("x", input.Name);
        Assert.Equal((int)DataType.Float, input.Type.TensorType.ElemType);
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.Equal(2, dims.Count);
        Assert.Equal(TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam, dims[0].ValueCase);
        Assert.Equal("N", dims[0].DimParam);
        Assert.Equal(TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue, dims[1].ValueCase);
        Assert.Equal(3, dims[1].DimValue);
        Assert.Equal(["N", "2"], Assert.Single(graph.Output).Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? d.DimParam : d.DimValue.ToString()));
    }

    [Fact]
    public void Unknown_dimension_sets_neither_value_nor_parameter()
    {
        var info = OnnxValueInfo.Tensor("x", DataType.Float, OnnxDimension.Unknown, 4);

        Assert.Equal(TensorShapeProto.Types.Dimension.ValueOneofCase.None, info.Type.TensorType.Shape.Dim[0].ValueCase);
        Assert.Equal(4, info.Type.TensorType.Shape.Dim[1].DimValue);
    }

    [Fact]
    public void Nodes_keep_order_inputs_outputs_and_names()
    {
        var graph = RoundTrip(SampleModels.DenseReluModel()).Graph;

        Assert.Equal(["MatMul", "Add", "Relu"], graph.Node.Select(n => n.OpType));
        Assert.Equal(["matmul", "add", "relu"], graph.Node.Select(n => n.Name));
        Assert.Equal(["xw", "b"], graph.Node[1].Input);
        Assert.Equal(["y"], graph.Node[2].Output);
    }

    [Fact]
    public void Attributes_carry_the_type_discriminator_matching_their_value()
    {
        var graph = SampleModels.DenseRelu()
            .AddNode("Softmax", "softmax", ["y"], ["p"], OnnxAttributes.Int("axis", 1))
            .AddNode("LeakyRelu", "leaky", ["y"], ["l"], OnnxAttributes.Float("alpha", 0.25f))
            .AddNode("Transpose", "transpose", ["y"], ["t"], OnnxAttributes.Ints("perm", 1, 0))
            .AddNode("Constant", "constant", [], ["c"], OnnxAttributes.Tensor("value", OnnxTensors.FromFloats("c", [1f, 2f], 2)))
            .AddNode("Pad", "pad", ["y", "pads"], ["padded"], OnnxAttributes.String("mode", "reflect"))
            .AddInt64Initializer("pads", [0, 0, 0, 0], 4);

        var nodes = RoundTrip(new OnnxModelBuilder(graph).Build()).Graph.Node;

        var axis = Assert.Single(nodes.Single(n => n.Name == "softmax").Attribute);
        Assert.Equal((AttributeType.Int, 1L), (axis.Type, axis.I));
        var alpha = Assert.Single(nodes.Single(n => n.Name == "leaky").Attribute);
        Assert.Equal((AttributeType.Float, 0.25f), (alpha.Type, alpha.F));
        var perm = Assert.Single(nodes.Single(n => n.Name == "transpose").Attribute);
        Assert.Equal(AttributeType.Ints, perm.Type);
        Assert.Equal([1L, 0L], perm.Ints);
        var value = Assert.Single(nodes.Single(n => n.Name == "constant").Attribute);
        Assert.Equal(AttributeType.Tensor, value.Type);
        Assert.Equal([1f, 2f], OnnxTensors.ToFloats(value.T));
        var mode = Assert.Single(nodes.Single(n => n.Name == "pad").Attribute);
        Assert.Equal((AttributeType.String, "reflect"), (mode.Type, mode.S.ToStringUtf8()));
    }

    [Fact]
    public void Producer_metadata_doc_strings_and_extra_opsets_are_written()
    {
        var model = RoundTrip(new OnnxModelBuilder(SampleModels.DenseRelu().WithDocString("graph doc"))
            .WithProducer("mlops-pipeline", "1.2.3")
            .WithDomain("com.example")
            .WithModelVersion(42)
            .WithDocString("model doc")
            .WithOpsetImport(OnnxDomains.Microsoft, 1)
            .WithOpsetImport(OnnxDomains.Default, 16)
            .WithMetadata("model_name", "fashion")
            .WithMetadata("class_names", "[\"a\",\"b\"]")
            .Build());

        Assert.Equal(("mlops-pipeline", "1.2.3", "com.example", 42L), (model.ProducerName, model.ProducerVersion, model.Domain, model.ModelVersion));
        Assert.Equal(("model doc", "graph doc"), (model.DocString, model.Graph.DocString));
        Assert.Equal([("", 16L), ("com.microsoft", 1L)], model.OpsetImport.Select(o => (o.Domain, o.Version)));
        Assert.Equal([("model_name", "fashion"), ("class_names", "[\"a\",\"b\"]")], model.MetadataProps.Select(p => (p.Key, p.Value)));
        Assert.Equal("fashion", model.FindMetadata("model_name"));
    }

    [Fact]
    public void Build_returns_copies_so_later_builder_changes_do_not_leak_into_built_models()
    {
        var graph = SampleModels.DenseRelu();
        var builder = new OnnxModelBuilder(graph);
        var first = builder.Build();

        graph.AddNode("Neg", "neg", ["y"], ["minus_y"]);
        builder.WithMetadata("later", "value");

        Assert.Equal(3, first.Graph.Node.Count);
        Assert.Empty(first.MetadataProps);
        Assert.Equal(4, builder.Build().Graph.Node.Count);
    }

    [Fact]
    public void Build_reports_every_problem_in_one_exception()
    {
        var builder = new OnnxModelBuilder(SampleModels.DenseRelu().AddNode("Relu", "relu", ["missing"], ["z"]))
            .WithMetadata("key", "1")
            .WithMetadata("key", "2");

        var error = Assert.Throws<OnnxModelValidationException>(builder.Build);

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("Metadata key 'key' appears more than once", error.Message);
        Assert.Contains("Node name 'relu' is used more than once", error.Message);
        Assert.Contains("Node 'relu' (Relu) reads 'missing', which no graph input, initializer or node produces", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_names_are_rejected_where_they_are_given(string name)
    {
        Assert.Throws<ArgumentException>(() => new OnnxGraphBuilder(name));
        Assert.Throws<ArgumentException>(() => new OnnxGraphBuilder("g").AddInput(name, DataType.Float, 1));
        Assert.Throws<ArgumentException>(() => OnnxAttributes.Int(name, 1));
        Assert.Throws<ArgumentException>(() => OnnxDimension.Symbolic(name));
    }

    [Fact]
    public void Negative_dimension_and_undefined_element_type_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxGraphBuilder("g").AddInput("x", DataType.Float, -1));
        var error = Assert.Throws<ArgumentException>(() => new OnnxGraphBuilder("g").AddInput("x", DataType.Undefined, 1));
        Assert.Contains("'x' needs an element type", error.Message);
    }

    private static ModelProto RoundTrip(ModelProto model) => ModelProto.Parser.ParseFrom(model.ToByteArray());
}
