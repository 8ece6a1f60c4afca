using Microsoft.ML;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Pipeline.OnnxRuntime;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Training.MlNet.Tests;

/// <summary>Graphs that cannot become the serving contract are refused with the node or output at fault named.</summary>
public sealed class NormalizationTests
{
    private static readonly IReadOnlyList<FeatureColumn> Features = [new("x", TensorElementType.Float, 3)];
    private static readonly ClassValues Classes = new(["a", "b", "c"], null);

    [Fact]
    public void A_kept_node_that_reads_an_input_which_is_not_a_feature_column_is_named()
    {
        var model = Graph(withScore: true);

        var error = Assert.Throws<InvalidOperationException>(() => OnnxContractNormalizer.Normalize(model, new SyntheticModel(), Features, Classes));

        Assert.Contains("Node 'mix' (Add)", error.Message);
        Assert.Contains("input 'secret'", error.Message);
    }

    [Fact]
    public void A_graph_without_the_class_scores_output_is_named_with_what_it_has()
    {
        var model = Graph(withScore: false);

        var error = Assert.Throws<InvalidOperationException>(() => OnnxContractNormalizer.Normalize(model, new SyntheticModel(), Features, Classes));

        Assert.Contains("no output 'Score.output'", error.Message);
        Assert.Contains("Other.output", error.Message);
    }

    [Fact]
    public async Task A_chain_that_reads_a_column_outside_the_feature_columns_is_refused_naming_it()
    {
        // The definition serves only "x", but its chain also reads "size".
        var definition = new NarrowSyntheticModel();
        var ml = new MLContext(6);
        var data = await definition.LoadAsync(ml, new ModelDataFiles("unused"), 6, CancellationToken.None);
        var candidate = Assert.Single(await new MlNetTrainer().TrainAsync(definition, data, 6, null, _ => { }, CancellationToken.None));

        var error = Assert.Throws<InvalidOperationException>(() => new MlNetOnnxExporter().Export(ml, definition, candidate, data, PenguinsFixture.Metadata("synthetic")));

        Assert.Contains("'size'", error.Message);
        Assert.Contains("FeatureColumns", error.Message);
    }

    /// <summary>x float [N, 3] and secret float [N, 3] → mix (Add) → Score.output (or Other.output), keys → PredictedLabel.output.</summary>
    private static ModelProto Graph(bool withScore)
    {
        var score = withScore ? "Score.output" : "Other.output";
        var graph = new OnnxGraphBuilder("g")
            .AddInput("x", DataType.Float, "N", 3)
            .AddInput("secret", DataType.Float, "N", 3)
            .AddInput("keys", DataType.Uint32, "N", 1)
            .AddNode("Add", "mix", ["x", "secret"], [score])
            .AddNode("Identity", "copy", ["keys"], ["PredictedLabel.output"])
            .AddOutput(score, DataType.Float, "N", 3)
            .AddOutput("PredictedLabel.output", DataType.Uint32, "N", 1);
        return new OnnxModelBuilder(graph).Build();
    }

    /// <summary>The synthetic model, but serving only "x" while its chain also reads "size".</summary>
    private sealed class NarrowSyntheticModel : IModelDefinition
    {
        private readonly SyntheticModel _inner = new();
        public string Name => "synthetic";
        public string Description => "serves x only";
        public ModelTask Task => ModelTask.MulticlassClassification;
        public string LabelColumn => _inner.LabelColumn;
        public IReadOnlyList<string> FeatureColumns { get; } = ["x"];
        public IReadOnlyList<DataRequirement> Data => [];
        public IReadOnlyList<MlNetCandidate> Candidates { get; } = [new("sdca", SyntheticModel.Sdca)];

        public Task<ModelData> LoadAsync(MLContext ml, ModelDataFiles files, int seed, CancellationToken cancellationToken) =>
            _inner.LoadAsync(ml, files, seed, cancellationToken);
    }
}
