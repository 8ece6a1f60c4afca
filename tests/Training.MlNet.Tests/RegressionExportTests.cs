using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.OnnxRuntime;

namespace Training.MlNet.Tests;

/// <summary>The regression path of the export: a single <c>value</c> output equal to ML.NET's Score.</summary>
public sealed class RegressionExportTests
{
    /// <summary>y = 3·x0 − 2·x1 + noise, with a text column that one-hot encodes.</summary>
    private sealed class RegressionModel : IModelDefinition
    {
        public string Name => "synthetic-regression";
        public string Description => "generated linear data";
        public ModelTask Task => ModelTask.Regression;
        public string LabelColumn => "y";
        public IReadOnlyList<string> FeatureColumns { get; } = ["x", "kind"];
        public IReadOnlyList<DataRequirement> Data { get; } = [];

        public IReadOnlyList<MlNetCandidate> Candidates { get; } =
        [
            new("sdca", ml => ml.Transforms.Categorical.OneHotEncoding("kind.onehot", "kind")
                .Append(ml.Transforms.Concatenate("Features", "x", "kind.onehot"))
                .Append(ml.Transforms.NormalizeMinMax("Features"))
                .Append(ml.Regression.Trainers.Sdca(labelColumnName: "y", maximumNumberOfIterations: 50))),
        ];

        public Task<ModelData> LoadAsync(MLContext ml, ModelDataFiles files, int seed, CancellationToken cancellationToken)
        {
            var random = new Random(seed);
            var rows = Enumerable.Range(0, 400).Select(i =>
            {
                float a = (float)random.NextDouble() * 10, b = (float)random.NextDouble() * 10;
                var kind = i % 2 == 0 ? "even" : "odd";
                return new Row { X = [a, b], Kind = kind, Y = 3 * a - 2 * b + (kind == "odd" ? 5 : 0) + (float)random.NextDouble() };
            }).ToList();
            var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), 0.25, seed: seed);
            return System.Threading.Tasks.Task.FromResult(new ModelData(split.TrainSet, split.TestSet, []));
        }
    }

    /// <summary>One generated row.</summary>
    private sealed class Row
    {
        [ColumnName("x"), VectorType(2)] public float[] X { get; set; } = [];
        [ColumnName("kind")] public string Kind { get; set; } = "";
        [ColumnName("y")] public float Y { get; set; }
    }

    [Fact]
    public async Task A_regression_model_serves_value_as_MlNet_scores_it()
    {
        var definition = new RegressionModel();
        var ml = new MLContext(4);
        var data = await definition.LoadAsync(ml, new ModelDataFiles("unused"), 4, CancellationToken.None);
        var candidate = Assert.Single(await new MlNetTrainer().TrainAsync(definition, data, 4, null, _ => { }, CancellationToken.None));
        Assert.InRange(candidate.TestMetrics[CandidateMetrics.RSquared], 0.9, 1.0);
        Assert.True(candidate.TestMetrics[CandidateMetrics.Rmse] > 0);

        var onnx = new MlNetOnnxExporter().Export(ml, definition, candidate, data, PenguinsFixture.Metadata("synthetic-regression"));

        var testSet = TabularTestSet.From(definition, data.Test, []);
        Assert.Empty(testSet.LabelIndices);
        using var session = new InferenceSession(new OrtEnvironment(), onnx);
        var output = Assert.Single(session.Outputs);
        Assert.Equal((ServingContract.Value, TensorElementType.Float, "-1"), (output.Name, output.ElementType, string.Join(",", output.Shape)));
        var values = session.Run(testSet.Inputs).Single().Tensor.As<float>().ToArray();
        var expected = candidate.Model.Transform(data.Test).GetColumn<float>("Score").ToArray();
        Oracle.AssertClose(expected, values, 1e-4f);
        Assert.Equal("regression", session.ModelMetadata.CustomMetadata["task"]);
        Assert.Equal("[]", session.ModelMetadata.CustomMetadata["class_names"]);
    }
}
