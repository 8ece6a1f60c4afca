using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx.Tests;

public sealed class OnnxModelValidatorTests
{
    [Fact]
    public void Valid_model_has_no_problems()
    {
        Assert.Empty(OnnxModelValidator.FindProblems(SampleModels.DenseReluModel()));
    }

    [Fact]
    public void Initializer_that_shares_its_name_with_an_input_is_an_overridable_default_not_a_duplicate()
    {
        var graph = SampleModels.DenseRelu().AddInput("W", DataType.Float, 3, 2);

        Assert.Empty(OnnxModelValidator.FindProblems(new OnnxModelBuilder(graph).Build()));
    }

    [Fact]
    public void Duplicate_input_names_are_reported()
    {
        var graph = SampleModels.DenseRelu().AddInput("x", DataType.Float, "N", 3);

        AssertSingleProblem(graph, "Graph input name 'x' is used more than once.");
    }

    [Fact]
    public void Duplicate_initializer_names_are_reported()
    {
        var graph = SampleModels.DenseRelu().AddFloatInitializer("b", [1f], 1);

        AssertSingleProblem(graph, "Initializer name 'b' is used more than once.");
    }

    [Fact]
    public void Node_input_that_nothing_produces_is_reported_with_node_and_value_names()
    {
        var graph = SampleModels.DenseRelu().AddNode("Mul", "scale", ["y", "scale_factor"], ["scaled"]);

        AssertSingleProblem(graph, "Node 'scale' (Mul) reads 'scale_factor', which no graph input, initializer or node produces.");
    }

    [Fact]
    public void Node_reading_a_value_produced_later_is_reported_as_out_of_order()
    {
        var graph = new OnnxGraphBuilder("g")
            .AddInput("x", DataType.Float, 1)
            .AddOutput("z", DataType.Float, 1)
            .AddNode("Relu", "second", ["y"], ["z"])
            .AddNode("Neg", "first", ["x"], ["y"]);

        AssertSingleProblem(graph, "Node 'second' (Relu) reads 'y' before node 'first' (Neg) produces it; nodes must be in topological order.");
    }

    [Fact]
    public void Value_produced_twice_is_reported()
    {
        var graph = SampleModels.DenseRelu().AddNode("Neg", "shadow", ["x"], ["b"]);

        AssertSingleProblem(graph, "Node 'shadow' (Neg) produces 'b', which is already defined; every value must have exactly one producer.");
    }

    [Fact]
    public void Graph_output_that_nothing_produces_is_reported()
    {
        var graph = SampleModels.DenseRelu().AddOutput("logits", DataType.Float, "N", 2);

        AssertSingleProblem(graph, "Graph output 'logits' is not produced by any node, input or initializer.");
    }

    [Fact]
    public void Empty_optional_inputs_are_allowed()
    {
        var graph = SampleModels.DenseRelu().AddNode("Clip", "clip", ["y", "", "b"], ["clipped"]);

        Assert.Empty(OnnxModelValidator.FindProblems(new OnnxModelBuilder(graph).Build()));
    }

    [Fact]
    public void Initializer_whose_raw_data_does_not_match_its_dims_is_reported()
    {
        var tensor = OnnxTensors.FromFloats("bad", [1f, 2f, 3f], 3);
        tensor.Dims[0] = 4;

        AssertSingleProblem(SampleModels.DenseRelu().AddInitializer(tensor), "Initializer 'bad' has dims [4] needing 16 bytes but raw_data holds 12.");
    }

    [Fact]
    public void Initializer_whose_typed_values_do_not_match_its_dims_is_reported()
    {
        var tensor = new TensorProto { Name = "bad", DataType = (int)DataType.Int64, Dims = { 2, 2 }, Int64Data = { 1, 2, 3 } };

        AssertSingleProblem(SampleModels.DenseRelu().AddInitializer(tensor), "Initializer 'bad' has dims [2, 2] (4 elements) but stores 3.");
    }

    [Fact]
    public void Node_of_an_unimported_domain_is_reported()
    {
        var graph = SampleModels.DenseRelu()
            .AddNode(new NodeProto { OpType = "FusedGemm", Name = "fused", Domain = OnnxDomains.Microsoft, Input = { "x", "W" }, Output = { "f" } });

        AssertSingleProblem(graph, "Node 'fused' (FusedGemm) uses operator domain 'com.microsoft', which the model does not import; add an opset_import for it.");
        Assert.Empty(OnnxModelValidator.FindProblems(new OnnxModelBuilder(graph).WithOpsetImport(OnnxDomains.Microsoft, 1).Build()));
    }

    [Fact]
    public void Model_without_ir_version_or_default_opset_is_reported()
    {
        var model = SampleModels.DenseReluModel();
        model.ClearIrVersion();
        model.OpsetImport.Clear();

        var problems = OnnxModelValidator.FindProblems(model);

        Assert.Contains(problems, p => p.StartsWith("The model has no IR version", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("The model does not import the default operator set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Node 'matmul' (MatMul) uses operator domain 'ai.onnx'", StringComparison.Ordinal));
    }

    [Fact]
    public void Graph_output_without_type_is_reported()
    {
        var graph = SampleModels.DenseRelu().Build();
        graph.Output[0].Type = null;

        var error = Assert.Throws<OnnxModelValidationException>(() => OnnxModelValidator.Validate(graph));

        Assert.Equal("Graph output 'y' has no type; graph inputs and outputs must declare one.", Assert.Single(error.Problems));
    }

    private static void AssertSingleProblem(OnnxGraphBuilder graph, string expected)
    {
        var error = Assert.Throws<OnnxModelValidationException>(new OnnxModelBuilder(graph).Build);
        Assert.Equal(expected, Assert.Single(error.Problems));
        Assert.Contains(expected, error.Message);
    }
}
