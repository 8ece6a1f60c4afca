using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.OnnxRuntime;
using Training.Data;
using Training.MlNet.Models;

namespace Training.MlNet.Tests;

/// <summary>
/// Fashion-MNIST's LightGBM candidate on a subsample (2,000 training images, few rounds) so the test stays fast; the
/// export must still give ML.NET's answers and the project MLP's contract.
/// </summary>
public sealed class FashionMnistModelTests
{
    private readonly FashionMnistModel _definition = new();

    private static ModelDataFiles Files => new("unused")
    {
        FashionMnistDirectory = FashionMnist.ResolveDirectory(Environment.GetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable)),
    };

    [Fact]
    public async Task LightGbm_on_a_subsample_exports_the_MLP_contract_and_answers_like_MlNet()
    {
        var ml = new MLContext(1);
        var full = await _definition.LoadAsync(ml, Files, 1, CancellationToken.None);
        Assert.Equal((60_000, 10_000), (full.Train.GetColumn<long>("label").Count(), full.Test.GetColumn<long>("label").Count()));
        Assert.Equal(4, full.SourceFiles.Count);
        var data = full with { Train = ml.Data.TakeRows(full.Train, 2_000), Test = ml.Data.TakeRows(full.Test, 1_000) };

        var model = FashionMnistModel.LightGbm(ml, iterations: 10).Fit(data.Train);
        var candidate = new TrainedCandidate("lightgbm", model, data.Train.Schema, TimeSpan.Zero,
            CandidateMetrics.Evaluate(ml, _definition, model, data.Test));
        Assert.InRange(candidate.TestMetrics[CandidateMetrics.Accuracy], 0.6, 1.0);
        var onnx = new MlNetOnnxExporter().Export(ml, _definition, candidate, data, PenguinsFixture.Metadata("fashion-mnist"));

        var classNames = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var testSet = TabularTestSet.From(_definition, data.Test, classNames);
        var (expected, expectedScores) = Oracle.MlNet(ml, model, data.Test);
        var (labels, probabilities, session) = Oracle.Onnx(onnx, testSet.Inputs);
        using (session)
        {
            Assert.Equal(expected, labels);
            Oracle.AssertClose(expectedScores, probabilities);
            var input = Assert.Single(session.Inputs);
            Assert.Equal(("input", TensorElementType.Float, "-1,784"), (input.Name, input.ElementType, string.Join(",", input.Shape)));
            Assert.Equal(
                [("probabilities", TensorElementType.Float, "-1,10"), ("label", TensorElementType.Int64, "-1")],
                session.Outputs.Select(o => (o.Name, o.ElementType, string.Join(",", o.Shape))));
            Assert.Equal(testSet.LabelIndices.Length, testSet.Count);
            Assert.Equal(testSet.LabelValues, testSet.LabelIndices.Select(i => classNames[i]));
        }
    }

    [Fact]
    public async Task An_explicit_directory_wins_and_a_missing_one_says_how_to_get_the_data()
    {
        var files = new ModelDataFiles("unused") { FashionMnistDirectory = "/nonexistent/fashion" };

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => _definition.LoadAsync(new MLContext(1), files, 1, CancellationToken.None));

        Assert.Contains("/nonexistent/fashion", error.Message);
        Assert.Contains("Setup", error.Message);
    }
}
