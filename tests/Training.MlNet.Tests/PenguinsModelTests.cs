using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.OnnxRuntime;
using Training.MlNet.Models;

namespace Training.MlNet.Tests;

/// <summary>The penguins definition end to end: data, split, candidates, export parity and the served contract.</summary>
[Collection(PenguinsCollection.Name)]
public sealed class PenguinsModelTests(PenguinsFixture fixture)
{
    private static readonly string[] Species = ["Adelie", "Chinstrap", "Gentoo"];

    [Fact]
    public void Loads_every_row_of_the_csv_and_holds_out_about_a_quarter()
    {
        var csvRows = File.ReadAllLines(fixture.CsvPath).Skip(1).Count(l => l.Length > 0);
        var train = fixture.Data.Train.GetColumn<ReadOnlyMemory<char>>("species").Count();
        var test = fixture.Data.Test.GetColumn<ReadOnlyMemory<char>>("species").Count();

        Assert.Equal(344, csvRows);
        Assert.Equal(csvRows, train + test);
        Assert.InRange(test, csvRows * 0.15, csvRows * 0.35);
    }

    [Fact]
    public void NA_measurements_load_as_missing_and_NA_sex_as_its_own_category()
    {
        var lines = File.ReadAllLines(fixture.CsvPath).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        var all = fixture.Ml.Data.LoadFromEnumerable(
            fixture.Data.Train.GetColumn<float>("body_mass_g").Concat(fixture.Data.Test.GetColumn<float>("body_mass_g")).Select(v => new { v }));

        Assert.Equal(lines.Count(f => f[5] == "NA"), all.GetColumn<float>("v").Count(float.IsNaN));
        Assert.Equal(lines.Count(f => f[6] == "NA"),
            fixture.Data.Train.GetColumn<ReadOnlyMemory<char>>("sex").Concat(fixture.Data.Test.GetColumn<ReadOnlyMemory<char>>("sex")).Count(s => s.Span.SequenceEqual("NA")));
    }

    [Fact]
    public async Task Split_is_the_same_for_the_same_seed_and_differs_for_another()
    {
        async Task<string[]> TestRows(int seed)
        {
            var data = await fixture.Definition.LoadAsync(new MLContext(seed), fixture.Files, seed, CancellationToken.None);
            return data.Test.GetColumn<float>("bill_length_mm").Zip(data.Test.GetColumn<float>("body_mass_g"), (a, b) => $"{a}/{b}").ToArray();
        }

        var first = await TestRows(11);
        Assert.Equal(first, await TestRows(11));
        Assert.NotEqual(first, await TestRows(12));
    }

    [Fact]
    public void Every_candidate_trains_and_is_measured_on_the_test_rows()
    {
        Assert.Equal(fixture.Definition.Candidates.Where(c => !c.OptIn).Select(c => c.Name), fixture.Trained.Select(c => c.Name));
        foreach (var candidate in fixture.Trained)
        {
            Assert.InRange(candidate.TestMetrics[CandidateMetrics.Accuracy], 0.9, 1.0);
            Assert.InRange(candidate.TestMetrics[CandidateMetrics.MacroAccuracy], 0.85, 1.0);
            Assert.True(candidate.TestMetrics[CandidateMetrics.LogLoss] is > 0 and < 1, $"{candidate.Name} log-loss {candidate.TestMetrics[CandidateMetrics.LogLoss]}");
            Assert.True(candidate.TrainingTime > TimeSpan.Zero);
        }
    }

    [Theory]
    [InlineData("sdca-maxent")]
    [InlineData("lightgbm")]
    [InlineData("fasttree-ova")]
    public void Export_answers_every_test_row_like_MlNet_and_serves_species_names(string name)
    {
        var candidate = fixture.Candidate(name);
        var onnx = new MlNetOnnxExporter().Export(fixture.Ml, fixture.Definition, candidate, fixture.Data, PenguinsFixture.Metadata("penguins"));

        var testSet = TabularTestSet.From(fixture.Definition, fixture.Data.Test, Species);
        var (expectedLabels, expectedScores) = Oracle.MlNet(fixture.Ml, candidate.Model, fixture.Data.Test);
        var (labels, probabilities, session) = Oracle.Onnx(onnx, testSet.Inputs);
        using (session)
        {
            Assert.Equal(expectedLabels, labels);
            Oracle.AssertClose(expectedScores, probabilities);
            Assert.All(labels, label => Assert.Contains(label, Species));
            var correct = labels.Where((label, row) => label == testSet.LabelValues[row]).Count();
            Assert.Equal(candidate.TestMetrics[CandidateMetrics.Accuracy], (double)correct / testSet.Count, 6);

            Assert.Equal(fixture.Definition.FeatureColumns, session.Inputs.Select(i => i.Name));
            Assert.Equal(
                [TensorElementType.String, TensorElementType.Float, TensorElementType.Float, TensorElementType.Float, TensorElementType.Float, TensorElementType.String],
                session.Inputs.Select(i => i.ElementType));
            Assert.All(session.Inputs, i => Assert.Equal([-1L, 1L], i.Shape));
            Assert.Equal([ServingContract.Probabilities, ServingContract.Label], session.Outputs.Select(o => o.Name));
            Assert.Equal((TensorElementType.Float, "-1,3"), (session.Outputs[0].ElementType, string.Join(",", session.Outputs[0].Shape)));
            Assert.Equal((TensorElementType.String, "-1"), (session.Outputs[1].ElementType, string.Join(",", session.Outputs[1].Shape)));

            var metadata = session.ModelMetadata.CustomMetadata;
            Assert.Equal("""["Adelie","Chinstrap","Gentoo"]""", metadata["class_names"]);
            Assert.Equal(("penguins", name, "multiclass_classification"), (metadata["model_name"], metadata["candidate"], metadata["task"]));
            Assert.Contains("\"accuracy\":", metadata["test_metrics"]);
            Assert.Equal(
                ["candidate", "class_names", "created_utc", "model_name", "model_version", "parameters", "source_revision", "task", "test_metrics", "training_data_sha256"],
                metadata.Keys.Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("sdca-maxent")]
    [InlineData("lightgbm")]
    public void Missing_measurements_and_an_island_never_seen_are_answered_as_MlNet_answers_them(string name)
    {
        var candidate = fixture.Candidate(name);
        var onnx = new MlNetOnnxExporter().Export(fixture.Ml, fixture.Definition, candidate, fixture.Data, PenguinsFixture.Metadata("penguins"));
        var probes = fixture.Ml.Data.LoadFromEnumerable(new[]
        {
            Row("Biscoe", 47.5f, float.NaN, 217f, float.NaN, "male"),
            Row("Dream", float.NaN, float.NaN, float.NaN, float.NaN, "NA"),
            Row("Atlantis", 39f, 18.5f, 190f, 3700f, "female"),
            Row("Atlantis", 46f, 14.5f, 215f, 5200f, "unknown"),
        });

        // ML.NET maps the unseen island to the missing key, which one-hot encodes as all zeros.
        var oneHot = candidate.Model.Transform(probes).GetColumn<VBuffer<float>>("island.onehot").ToArray();
        Assert.All(oneHot[2..], v => Assert.All(v.DenseValues(), x => Assert.Equal(0f, x)));

        var (expectedLabels, expectedScores) = Oracle.MlNet(fixture.Ml, candidate.Model, probes);
        var (labels, probabilities, session) = Oracle.Onnx(onnx, TabularTestSet.FeatureTensors(fixture.Definition, probes));
        using (session)
        {
            Assert.Equal(expectedLabels, labels);
            Oracle.AssertClose(expectedScores, probabilities);
        }
    }

    [Fact]
    public async Task Export_to_file_writes_the_checked_model_atomically()
    {
        using var directory = new TestSupport.TemporaryDirectory();
        var path = directory.File("penguins.onnx");

        await new MlNetOnnxExporter().ExportToFileAsync(fixture.Ml, fixture.Definition, fixture.Candidate("lightgbm"), fixture.Data,
            PenguinsFixture.Metadata("penguins"), path, CancellationToken.None);

        using var session = new InferenceSession(new OrtEnvironment(), path);
        Assert.Equal("lightgbm", session.ModelMetadata.CustomMetadata["candidate"]);
        Assert.Equal(["penguins.onnx"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Saved_MlNet_model_loads_back_and_predicts_the_same()
    {
        using var directory = new TestSupport.TemporaryDirectory();
        var path = directory.File("sdca.zip");
        var candidate = fixture.Candidate("sdca-maxent");

        await new MlNetTrainer().SaveAsync(candidate, path, CancellationToken.None);

        var loaded = fixture.Ml.Model.Load(path, out var schema);
        Assert.Equal(fixture.Definition.FeatureColumns, schema.Where(c => fixture.Definition.FeatureColumns.Contains(c.Name)).Select(c => c.Name));
        var (expectedLabels, expectedScores) = Oracle.MlNet(fixture.Ml, candidate.Model, fixture.Data.Test);
        var (labels, scores) = Oracle.MlNet(fixture.Ml, loaded, fixture.Data.Test);
        Assert.Equal(expectedLabels, labels);
        Assert.Equal(expectedScores, scores);
    }

    [Fact]
    public void Test_set_labels_index_the_class_names_and_an_unknown_label_is_named()
    {
        var testSet = TabularTestSet.From(fixture.Definition, fixture.Data.Test, Species);

        Assert.Equal(testSet.LabelValues, testSet.LabelIndices.Select(i => Species[i]));
        Assert.Equal(testSet.Count, testSet.Inputs[0].Tensor.Shape[0]);
        var error = Assert.Throws<InvalidDataException>(() => TabularTestSet.From(fixture.Definition, fixture.Data.Test, ["Adelie", "Gentoo"]));
        Assert.Contains("'Chinstrap'", error.Message);
    }

    private static PenguinRow Row(string island, float billLength, float billDepth, float flipper, float mass, string sex) => new()
    {
        Species = "Adelie", Island = island, BillLengthMm = billLength, BillDepthMm = billDepth, FlipperLengthMm = flipper, BodyMassG = mass, Sex = sex,
    };
}
