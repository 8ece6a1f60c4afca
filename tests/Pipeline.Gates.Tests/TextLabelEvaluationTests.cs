using Pipeline.Gates.Tests.Support;
using Pipeline.OnnxRuntime;

namespace Pipeline.Gates.Tests;

/// <summary>Models with several typed inputs and text labels (an ML.NET export's contract) are measured like the MLP.</summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class TextLabelEvaluationTests(OnnxRuntimeFixture runtime) : IDisposable
{
    private static readonly EvaluationOptions Quick = new() { WarmupRuns = 5, LatencyRuns = 100, ThroughputRuns = 20, ThroughputBatchSize = 8 };
    private static readonly float[] Weights = [2f, -1f, 3f, -2f, 0.5f, -0.5f];
    private readonly string _directory = Directory.CreateTempSubdirectory("text-label-").FullName;

    [Fact]
    public void Text_labels_are_scored_by_value_and_log_loss_uses_the_class_names_columns()
    {
        // Row 3 (w = -2, so "light") is labelled "heavy": five of six right.
        string[] truth = ["heavy", "light", "heavy", "heavy", "heavy", "light"];
        var model = new ModelCandidate("sdca", TextLabelModel.Write(_directory, "m.onnx"), CandidateKind.Independent);

        var measurement = new OnnxModelEvaluator(Quick).Evaluate(model, runtime.Environment, TestSet(truth));

        Assert.Equal(5, measurement.CorrectCount);
        Assert.Equal([0, 1, 0, 1, 0, 1], measurement.Predictions.Labels);
        var expectedLogLoss = Weights.Zip(truth).Average(p =>
        {
            var heavy = 1 / (1 + Math.Exp(-2 * p.First)); // softmax([w, -w])[0]
            return -Math.Log(p.Second == "heavy" ? heavy : 1 - heavy);
        });
        Assert.Equal(expectedLogLoss, measurement.LogLoss, 1e-5);
        Assert.Equal(100, measurement.SingleRowLatency.Runs);
        Assert.Equal(8, measurement.BatchLatency.BatchSize);
    }

    [Fact]
    public void A_true_label_the_model_does_not_know_is_refused_by_name()
    {
        string[] truth = ["heavy", "light", "medium", "heavy", "heavy", "light"];
        var model = new ModelCandidate("sdca", TextLabelModel.Write(_directory, "m.onnx"), CandidateKind.Independent);

        var error = Assert.Throws<ArgumentException>(() => new OnnxModelEvaluator(Quick).Evaluate(model, runtime.Environment, TestSet(truth)));

        Assert.Contains("Test label medium at row 2", error.Message);
        Assert.Contains("heavy, light", error.Message);
    }

    [Fact]
    public void Text_labels_without_class_names_cannot_be_matched_to_columns()
    {
        var model = new ModelCandidate("bare", TextLabelModel.Write(_directory, "bare.onnx", withClassNames: false), CandidateKind.Independent);

        var error = Assert.Throws<InvalidDataException>(() =>
            new OnnxModelEvaluator(Quick).Evaluate(model, runtime.Environment, TestSet(["heavy", "light", "heavy", "light", "heavy", "light"])));

        Assert.Contains("no 'class_names'", error.Message);
    }

    [Fact]
    public void A_test_set_missing_one_of_the_models_inputs_names_it()
    {
        var model = new ModelCandidate("sdca", TextLabelModel.Write(_directory, "m.onnx"), CandidateKind.Independent);
        var weightOnly = new LabelledTestSet([NamedTensor.Create("weight", Weights, Weights.Length, 1)], ["heavy", "light", "heavy", "light", "heavy", "light"]);

        var error = Assert.Throws<InvalidDataException>(() => new OnnxModelEvaluator(Quick).Evaluate(model, runtime.Environment, weightOnly));

        Assert.Contains("'colour'", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static LabelledTestSet TestSet(string[] truth) => new(
    [
        NamedTensor.Create("weight", Weights, Weights.Length, 1),
        new NamedTensor("colour", new StringTensor(["red", "blue", "", "green", "red", "blue"], Weights.Length, 1)),
    ], truth);
}
