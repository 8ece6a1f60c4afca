using Pipeline.Onnx.Protos;

namespace Pipeline.Onnx.Tests;

public sealed class OnnxGraphEditingTests
{
    [Fact]
    public void Initializers_are_found_by_name_and_a_missing_one_is_named_in_the_error()
    {
        var graph = SampleModels.DenseReluModel().Graph;

        Assert.Equal(SampleModels.Bias, OnnxTensors.ToFloats(graph.GetInitializer("b")));
        Assert.Null(graph.FindInitializer("nope"));
        Assert.Contains("no initializer named 'nope'", Assert.Throws<KeyNotFoundException>(() => graph.GetInitializer("nope")).Message);
    }

    [Fact]
    public void Producers_and_consumers_are_found_by_value_name()
    {
        var graph = SampleModels.DenseRelu().AddNode("Neg", "neg", ["xw"], ["minus_xw"]).Build();

        Assert.Equal("matmul", graph.FindProducer("xw")?.Name);
        Assert.Null(graph.FindProducer("x"));
        Assert.Equal(["add", "neg"], graph.FindConsumers("xw").Select(n => n.Name));
        Assert.Equal(["matmul"], graph.FindNodesOfType("MatMul", OnnxDomains.Default).Select(n => n.Name));
    }

    [Fact]
    public void Replacing_a_node_puts_the_replacements_in_its_place_and_the_model_stays_valid()
    {
        var model = SampleModels.DenseReluModel();
        var graph = model.Graph;
        var add = graph.FindNode("add")!;

        // Add(xw, b) rewritten as Sub(xw, Neg(b)): same value, two nodes.
        graph.ReplaceNode(add,
            new NodeProto { OpType = "Neg", Name = "negate_bias", Input = { "b" }, Output = { "minus_b" } },
            new NodeProto { OpType = "Sub", Name = "sub", Input = { "xw", "minus_b" }, Output = { "xwb" } });

        Assert.Equal(["matmul", "negate_bias", "sub", "relu"], graph.Node.Select(n => n.Name));
        OnnxModelValidator.Validate(model);
    }

    [Fact]
    public void Replacing_a_node_of_another_graph_fails()
    {
        var graph = SampleModels.DenseReluModel().Graph;
        var lookalike = graph.FindNode("add")!.Clone();

        Assert.Throws<ArgumentException>(() => graph.ReplaceNode(lookalike));
        Assert.Equal(3, graph.Node.Count);
    }

    [Fact]
    public void Removing_an_initializer_reports_whether_it_existed()
    {
        var graph = SampleModels.DenseReluModel().Graph;

        Assert.True(graph.RemoveInitializer("W"));
        Assert.False(graph.RemoveInitializer("W"));
        Assert.Equal(["b"], graph.Initializer.Select(t => t.Name));
    }

    [Fact]
    public void Metadata_and_opset_imports_are_set_in_place()
    {
        var model = SampleModels.DenseReluModel();

        model.SetMetadata("stage", "candidate");
        model.SetMetadata("stage", "production");
        model.SetOpsetImport(OnnxDomains.Default, 13);
        model.SetOpsetImport(OnnxDomains.Microsoft, 1);

        Assert.Equal("production", model.FindMetadata("stage"));
        Assert.Single(model.MetadataProps);
        Assert.Null(model.FindMetadata("absent"));
        Assert.Equal(13, model.FindOpsetVersion(""));
        Assert.Equal(1, model.FindOpsetVersion(OnnxDomains.Microsoft));
        Assert.Equal(2, model.OpsetImport.Count);
    }
}
