using Pipeline.Gates.Tests.Support;
using TestSupport;

namespace Pipeline.Gates.Tests;

/// <summary>The Validate flow on real models in ONNX Runtime: measure every candidate, gate, decide, write the reports.</summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class ReleaseGatesEndToEndTests(OnnxRuntimeFixture runtime, LinearModelFiles models) : IClassFixture<LinearModelFiles>
{
    private const int Classes = SyntheticLinearTask.Classes;

    // Latency is gated in its own tests on chosen numbers; here the bound only has to hold on a busy shared machine.
    private static readonly GateThresholds Thresholds = new()
    {
        MinAccuracy = 0.85, MaxQuantizationDrop = 0.02, MinLabelAgreement = 0.97, MaxModelMb = 1, MaxLatencyMs = 1000,
    };

    [Fact]
    public async Task The_smallest_candidate_within_every_threshold_is_chosen_and_reported()
    {
        var task = models.Task;
        var evaluator = new OnnxModelEvaluator(new EvaluationOptions { WarmupRuns = 10, LatencyRuns = 200, ThroughputRuns = 50 });
        var measurements = new[] { models.Fp32, models.Int8, models.LowRank, models.Worse }
            .Select(candidate => evaluator.Evaluate(candidate, runtime.Environment, task.TestSet))
            .ToList();
        // What the trained model computes in process, independently of ONNX Runtime.
        var trained = ReferenceClassifier.Softmax(ReferenceClassifier.Logits(task.Rows, task.Count, task.Weight, task.Bias), Classes);

        var report = ReleaseGates.Evaluate(Thresholds, ProductionBaseline.Empty("production"), measurements, trained);

        // By construction: int8 weights are the smallest file; its accuracy and agreement follow from its weights.
        var int8Labels = ReferenceClassifier.ArgMax(ReferenceClassifier.Logits(task.Rows, task.Count, task.DequantizedWeight, task.Bias), Classes);
        var int8Agreement = ReferenceClassifier.Accuracy(int8Labels, task.TrueLabels);
        Assert.InRange(int8Agreement, 0.97, 1.0);
        Assert.True(0.9 - ReferenceClassifier.Accuracy(int8Labels, task.Labels) <= 0.02);
        Assert.Equal(models.Int8.Name, measurements.MinBy(m => m.SizeBytes)!.Name);

        Assert.Equal(models.Int8.Name, report.Decision.Winner);
        Assert.All(report.OutcomesFor(models.Int8.Name), outcome => Assert.True(outcome.Passed, outcome.Explanation));
        Assert.Equal(int8Agreement, report.OutcomesFor(models.Int8.Name).Single(o => o.Gate == GateNames.LabelParity).Measured!.Value, 1e-12);
        Assert.All(report.OutcomesFor(models.Fp32.Name), outcome => Assert.True(outcome.Passed, outcome.Explanation));
        var parity = report.OutcomesFor(models.Fp32.Name).Single(o => o.Gate == GateNames.ProbabilityParity);
        Assert.InRange(parity.Measured!.Value, 0, 1e-5);
        Assert.All(report.OutcomesFor(models.LowRank.Name), outcome => Assert.True(outcome.Passed, outcome.Explanation));
        // Swapping two of ten classes costs about a fifth of their rows: below the minimum, past the drop, off fp32's labels.
        Assert.Equal([GateNames.MinAccuracy, GateNames.MaxCompressionDrop, GateNames.LabelParity],
            report.OutcomesFor(models.Worse.Name).Where(outcome => !outcome.Passed).Select(outcome => outcome.Gate));
        Assert.Contains("low-rank also passed", report.Decision.Explanation);
        var (worseWeight, worseBias) = task.SwappedClasses();
        var worseAccuracy = ReferenceClassifier.Accuracy(
            ReferenceClassifier.ArgMax(ReferenceClassifier.Logits(task.Rows, task.Count, worseWeight, worseBias), Classes), task.Labels);
        Assert.Contains($"pruned failed min-accuracy by {(0.85 - worseAccuracy) * 100:0.00} pts ({worseAccuracy * 100:0.00}%, needs ≥ 85.00%), " +
            $"max-compression-drop by {(0.9 - worseAccuracy - 0.02) * 100:0.00} pts", report.Decision.Explanation);

        using var directory = new TemporaryDirectory();
        var (jsonPath, markdownPath) = await GateReportFiles.WriteAsync(report, directory.Path);
        Assert.Equal(models.Int8.Name, (await GateReportFiles.ReadJsonAsync(jsonPath)).Decision.Winner);
        Assert.Contains($"**Decision: ship `{models.Int8.Name}`.**", await File.ReadAllTextAsync(markdownPath));
    }
}
