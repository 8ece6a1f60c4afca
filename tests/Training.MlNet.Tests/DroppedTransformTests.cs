using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Training.MlNet.Tests;

/// <summary>
/// Chains ConvertToOnnx cannot turn into a faithful model. The worst kind converts without complaint and answers
/// wrongly (NormalizeGlobalContrast comes out as NaN probabilities); the export must refuse all of them and write nothing.
/// </summary>
public sealed class DroppedTransformTests
{
    /// <summary>Input of the custom mapping below.</summary>
    public sealed class SizeInput
    {
        public float size { get; set; }
    }

    /// <summary>Output of the custom mapping below.</summary>
    public sealed class SizeOutput
    {
        public float size_squared { get; set; }
    }

    private static IEstimator<ITransformer> Chain(MLContext ml, IEstimator<ITransformer> step, string stepOutput) =>
        ml.Transforms.Conversion.MapValueToKey(MlNetCandidate.KeyLabelColumn, "target")
            .Append(step)
            .Append(ml.Transforms.Concatenate("Features", "x", stepOutput))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = MlNetCandidate.KeyLabelColumn,
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 30,
            }));

    [Fact]
    public async Task A_transform_that_converts_silently_but_wrongly_is_caught_by_the_parity_check()
    {
        var error = await ExportAsync(new MlNetCandidate("global-contrast", ml => Chain(ml,
            ml.Transforms.Concatenate("sizes", "size", "size").Append(ml.Transforms.NormalizeGlobalContrast("contrast", "sizes")), "contrast")));

        Assert.Contains("synthetic/global-contrast does not answer like the ML.NET model", error.Message);
        Assert.Contains("First differing row 0", error.Message);
        Assert.Matches(@"\d+ of 150 rows get another label and 150 have probabilities off", error.Message);
    }

    [Fact]
    public async Task A_transform_the_converter_rejects_is_reported_with_the_candidate()
    {
        var error = await ExportAsync(new MlNetCandidate("custom", ml => Chain(ml,
            ml.Transforms.CustomMapping<SizeInput, SizeOutput>((input, output) => output.size_squared = input.size * input.size, contractName: null),
            "size_squared")));

        Assert.Contains("ConvertToOnnx cannot convert synthetic/custom", error.Message);
    }

    [Fact]
    public async Task A_converted_graph_that_fails_in_OnnxRuntime_is_refused()
    {
        var error = await ExportAsync(new MlNetCandidate("mutual-information", ml => Chain(ml,
            ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation("selected", "x", labelColumnName: MlNetCandidate.KeyLabelColumn, slotsInOutput: 1),
            "selected")));

        Assert.Contains("synthetic/mutual-information fails in ONNX Runtime", error.Message);
    }

    /// <summary>Trains the single candidate (it must be good in ML.NET), exports it to a file and returns the refusal.</summary>
    private static async Task<InvalidOperationException> ExportAsync(MlNetCandidate candidate)
    {
        var definition = new SyntheticModel(candidate);
        var ml = new MLContext(2);
        var data = await definition.LoadAsync(ml, new ModelDataFiles("unused"), 2, CancellationToken.None);
        var trained = Assert.Single(await new MlNetTrainer().TrainAsync(definition, data, 2, null, _ => { }, CancellationToken.None));
        Assert.InRange(trained.TestMetrics[CandidateMetrics.Accuracy], 0.8, 1.0);
        using var directory = new TestSupport.TemporaryDirectory();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new MlNetOnnxExporter().ExportToFileAsync(
            ml, definition, trained, data, PenguinsFixture.Metadata("synthetic"), directory.File("model.onnx"), CancellationToken.None));

        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
        return error;
    }
}
