using Pipeline.Gates.Tests.Support;
using Pipeline.OnnxRuntime;

namespace Pipeline.Gates.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class OnnxModelEvaluatorTests(OnnxRuntimeFixture runtime, LinearModelFiles models) : IClassFixture<LinearModelFiles>
{
    private const int Classes = SyntheticLinearTask.Classes;
    private static readonly EvaluationOptions Quick = new() { WarmupRuns = 10, LatencyRuns = 200, ThroughputRuns = 50 };

    private SyntheticLinearTask Task => models.Task;

    [Fact]
    public void Accuracy_log_loss_and_predictions_equal_the_reference_computation()
    {
        var measurement = Evaluate(models.Fp32);

        var logits = ReferenceClassifier.Logits(Task.Rows, Task.Count, Task.Weight, Task.Bias);
        var probabilities = ReferenceClassifier.Softmax(logits, Classes);
        Assert.Equal(ReferenceClassifier.ArgMax(logits, Classes), measurement.Predictions.Labels);
        // Every tenth label was changed on purpose, so the exact model scores 90% by construction.
        Assert.Equal(900, measurement.CorrectCount);
        Assert.Equal(0.9, measurement.Accuracy);
        Assert.Equal(ReferenceClassifier.LogLoss(probabilities, Classes, Task.Labels), measurement.LogLoss, 1e-5);
        Assert.Equal(Classes, measurement.Predictions.ClassCount);
        Assert.All(probabilities.Zip(measurement.Predictions.Probabilities), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
        Assert.Equal((models.Fp32.Name, models.Fp32.Path, CandidateKind.Fp32, 1000),
            (measurement.Name, measurement.Path, measurement.Kind, measurement.SampleCount));
    }

    [Fact]
    public void A_worse_copy_scores_what_the_reference_computes_for_its_weights()
    {
        var measurement = Evaluate(models.Worse);

        var (weight, bias) = Task.SwappedClasses();
        var logits = ReferenceClassifier.Logits(Task.Rows, Task.Count, weight, bias);
        var expectedLabels = ReferenceClassifier.ArgMax(logits, Classes);
        Assert.Equal(expectedLabels, measurement.Predictions.Labels);
        Assert.Equal(ReferenceClassifier.Accuracy(expectedLabels, Task.Labels), measurement.Accuracy);
        Assert.True(measurement.Accuracy < 0.85, $"swapping two classes should cost accuracy, got {measurement.Accuracy}");
        Assert.Equal(ReferenceClassifier.LogLoss(ReferenceClassifier.Softmax(logits, Classes), Classes, Task.Labels), measurement.LogLoss, 1e-5);
    }

    [Fact]
    public void Int8_and_low_rank_models_score_what_their_weights_compute()
    {
        var int8 = Evaluate(models.Int8);
        var lowRank = Evaluate(models.LowRank);

        var int8Labels = ReferenceClassifier.ArgMax(ReferenceClassifier.Logits(Task.Rows, Task.Count, Task.DequantizedWeight, Task.Bias), Classes);
        Assert.Equal(int8Labels, int8.Predictions.Labels);
        Assert.Equal(ReferenceClassifier.Accuracy(int8Labels, Task.Labels), int8.Accuracy);
        // The true weights are exactly rank 3, so the low-rank model predicts what the dense one does.
        Assert.Equal(Task.TrueLabels, lowRank.Predictions.Labels);
        Assert.Equal(0.9, lowRank.Accuracy);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(256)]
    [InlineData(5000)]
    public void Scoring_in_batches_of_any_size_gives_the_same_predictions(int batchSize)
    {
        var whole = Evaluate(models.Fp32, Quick with { ScoringBatchSize = 1000 });
        var batched = Evaluate(models.Fp32, Quick with { ScoringBatchSize = batchSize });

        Assert.Equal(whole.Predictions.Labels, batched.Predictions.Labels);
        Assert.Equal(whole.Predictions.Probabilities, batched.Predictions.Probabilities);
        Assert.Equal(whole.LogLoss, batched.LogLoss, 1e-12);
    }

    [Fact]
    public void Latency_statistics_come_from_the_configured_runs_and_are_ordered()
    {
        var measurement = Evaluate(models.Fp32, Quick with { LatencyRuns = 150, ThroughputRuns = 40, ThroughputBatchSize = 32 });

        var single = measurement.SingleRowLatency;
        Assert.Equal((1, 150), (single.BatchSize, single.Runs));
        Assert.True(single.MinMs > 0, $"min {single.MinMs} ms");
        Assert.True(single.MinMs <= single.P50Ms && single.P50Ms <= single.P99Ms && single.P99Ms <= single.MaxMs,
            $"min {single.MinMs} ≤ p50 {single.P50Ms} ≤ p99 {single.P99Ms} ≤ max {single.MaxMs}");
        Assert.InRange(single.MeanMs, single.MinMs, single.MaxMs);
        var batch = measurement.BatchLatency;
        Assert.Equal((32, 40), (batch.BatchSize, batch.Runs));
        Assert.True(batch.P50Ms > 0 && batch.P99Ms >= batch.P50Ms, $"batch p50 {batch.P50Ms} ms, p99 {batch.P99Ms} ms");
    }

    [Fact]
    public void Size_is_the_model_file_length_and_an_open_session_measures_the_same()
    {
        using var session = new InferenceSession(runtime.Environment, models.Int8.Path);
        var measurement = new OnnxModelEvaluator(Quick).Evaluate(models.Int8, session, Task.TestSet);

        Assert.Equal(new FileInfo(models.Int8.Path).Length, measurement.SizeBytes);
        Assert.Equal(measurement.SizeBytes / 1e6, measurement.SizeMb);
        Assert.Equal(Evaluate(models.Int8).Predictions.Labels, measurement.Predictions.Labels);
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        var missing = new ModelCandidate("int8", Path.Combine(models.Directory, "absent.onnx"), CandidateKind.Quantized);

        var error = Assert.Throws<FileNotFoundException>(() => Evaluate(missing));

        Assert.Contains("absent.onnx", error.Message);
        Assert.Contains("'int8'", error.Message);
    }

    [Fact]
    public void A_model_without_the_expected_input_says_what_it_has_and_which_option_to_set()
    {
        var error = Assert.Throws<InvalidDataException>(() => Evaluate(models.Fp32, Quick with { InputName = "pixels" }));

        Assert.Contains("no input 'pixels'", error.Message);
        Assert.Contains("'input' Float [-1, 784]", error.Message);
        Assert.Contains("EvaluationOptions.InputName", error.Message);
    }

    [Fact]
    public void A_test_set_with_another_row_width_is_refused_before_any_run()
    {
        var narrow = new LabelledTestSet(new float[10 * 783], new int[10], featureCount: 783);

        var error = Assert.Throws<InvalidDataException>(() =>
            new OnnxModelEvaluator(Quick).Evaluate(models.Fp32, runtime.Environment, narrow));

        Assert.Contains("takes 784 features per row but the test set has 783", error.Message);
    }

    [Fact]
    public void Test_labels_outside_the_models_classes_are_refused()
    {
        var labels = (int[])Task.Labels.Clone();
        labels[5] = 12;

        var error = Assert.Throws<ArgumentException>(() =>
            new OnnxModelEvaluator(Quick).Evaluate(models.Fp32, runtime.Environment, new LabelledTestSet(Task.Rows, labels)));

        Assert.Contains("Test label 12 at row 5", error.Message);
    }

    [Fact]
    public void Cancellation_stops_the_evaluation()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new OnnxModelEvaluator(Quick).Evaluate(models.Fp32, runtime.Environment, Task.TestSet, cancellationToken: cancellation.Token));
    }

    private CandidateMeasurement Evaluate(ModelCandidate candidate, EvaluationOptions? options = null) =>
        new OnnxModelEvaluator(options ?? Quick).Evaluate(candidate, runtime.Environment, Task.TestSet);
}
