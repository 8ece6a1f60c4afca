using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class MetadataTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void Inputs_and_outputs_of_a_backend_model_are_described()
    {
        using var session = new InferenceSession(ort.Environment, BackendTestCase.ModelPathOf("test_argmax_default_axis_random"));

        var input = Assert.Single(session.Inputs);
        Assert.Equal(new NodeMetadata("data", OnnxValueKind.Tensor, TensorElementType.Float, [2, 3, 4], ["", "", ""]),
            input with { Shape = [.. input.Shape], SymbolicDimensions = [.. input.SymbolicDimensions] }, NodeComparer);
        var output = Assert.Single(session.Outputs);
        Assert.Equal("result", output.Name);
        Assert.Equal(TensorElementType.Int64, output.ElementType);
        Assert.Equal([1L, 3, 4], output.Shape);
        Assert.Equal("backend-test", session.ModelMetadata.ProducerName);
        Assert.Equal("test_argmax_default_axis_random", session.ModelMetadata.GraphName);
        Assert.Empty(session.ModelMetadata.CustomMetadata);
    }

    [Fact]
    public void Symbolic_dimensions_are_minus_one_and_keep_their_names()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());

        var x = Assert.Single(session.Inputs);
        Assert.Equal([-1L, TestModels.Features], x.Shape);
        Assert.Equal(["batch", ""], x.SymbolicDimensions);
        Assert.Equal(["scores", "label"], session.Outputs.Select(o => o.Name));
        Assert.Equal([TensorElementType.Float, TensorElementType.Int64], session.Outputs.Select(o => o.ElementType));
        Assert.Equal([-1L], session.Outputs[1].Shape);
        Assert.Equal(["batch"], session.Outputs[1].SymbolicDimensions);
    }

    [Fact]
    public void Model_metadata_and_the_custom_map_are_read()
    {
        var model = new OnnxModelBuilder
            {
                ProducerName = "pipeline-trainer",
                Domain = "ai.pipeline.test",
                DocString = "Fashion-MNIST classifier",
                GraphName = "mlp",
                GraphDocString = "784-256-10",
                ModelVersion = 42,
            }
            .Input("x", TensorElementType.Float, "n", 2L)
            .Node("Relu", ["x"], ["y"])
            .Output("y", TensorElementType.Float, "n", 2L)
            .Metadata("classes", "T-shirt,Trouser")
            .Metadata("git_commit", "0123abcd")
            .Metadata("ünïcode", "värde")
            .Build();
        using var session = new InferenceSession(ort.Environment, model);

        var metadata = session.ModelMetadata;

        Assert.Equal("pipeline-trainer", metadata.ProducerName);
        Assert.Equal("ai.pipeline.test", metadata.Domain);
        Assert.Equal("Fashion-MNIST classifier", metadata.Description);
        Assert.Equal("mlp", metadata.GraphName);
        Assert.Equal("784-256-10", metadata.GraphDescription);
        Assert.Equal(42, metadata.Version);
        Assert.Equal(
            new Dictionary<string, string> { ["classes"] = "T-shirt,Trouser", ["git_commit"] = "0123abcd", ["ünïcode"] = "värde" },
            metadata.CustomMetadata.ToDictionary());
    }

    [Fact]
    public void Non_tensor_inputs_and_outputs_are_described_by_kind()
    {
        using var session = new InferenceSession(ort.Environment, BackendTestCase.ModelPathOf("test_identity_sequence"));

        Assert.Equal(OnnxValueKind.Sequence, session.Inputs.Single().Kind);
        Assert.Equal(OnnxValueKind.Sequence, session.Outputs.Single().Kind);
        Assert.Equal(TensorElementType.Undefined, session.Inputs.Single().ElementType);
        Assert.Empty(session.Inputs.Single().Shape);
    }

    private static readonly IEqualityComparer<NodeMetadata> NodeComparer = EqualityComparer<NodeMetadata>.Create(
        (a, b) => a!.Name == b!.Name && a.Kind == b.Kind && a.ElementType == b.ElementType
            && a.Shape.SequenceEqual(b.Shape) && a.SymbolicDimensions.SequenceEqual(b.SymbolicDimensions));
}
