using Pipeline.Onnx.Protos;
using TestSupport;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx.Tests;

/// <summary>The models the builder writes must pass the official ONNX checker with full shape inference.</summary>
public sealed class OfficialCheckerTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Builder_output_passes_the_official_checker()
    {
        var graph = SampleModels.DenseRelu()
            .AddOutput("label", DataType.Int64, "N")
            .AddOutput("probabilities", DataType.Float, "N", 2)
            .AddNode("Softmax", "softmax", ["y"], ["probabilities"], OnnxAttributes.Int("axis", 1))
            .AddNode("ArgMax", "argmax", ["y"], ["label"], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));
        var path = _directory.File("model.onnx");
        await OnnxModelFile.WriteAtomicallyAsync(new OnnxModelBuilder(graph).WithProducer("tests", "1").Build(), path);

        await OnnxChecker.AssertValidAsync(path);
    }

    [Fact]
    public async Task Checker_rejects_an_operator_that_does_not_exist()
    {
        var model = SampleModels.DenseReluModel();
        model.Graph.FindNode("relu")!.OpType = "Rectify";
        var path = _directory.File("unknown-op.onnx");
        OnnxModelFile.WriteAtomically(model, path);

        var result = await OnnxChecker.RunAsync(path);

        Assert.False(result.Passed);
        Assert.Contains("Rectify", result.Message);
    }

    [Fact]
    public async Task Checker_rejects_shapes_that_cannot_multiply()
    {
        var model = SampleModels.DenseReluModel();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 4;
        var path = _directory.File("bad-shape.onnx");
        OnnxModelFile.WriteAtomically(model, path);

        var result = await OnnxChecker.RunAsync(path);

        Assert.False(result.Passed);
        Assert.Contains("MatMul", result.Message);
    }
}
