using System.Globalization;
using Pipeline.OnnxRuntime;
using Training;
using Training.Compression;

namespace Pipeline.Stages;

/// <param name="OnnxPath">Where the pruned ONNX model goes (artifacts/model/model.pruned.onnx); the .mlp is written beside it.</param>
public sealed record PruneStageRequest(
    string TrainedModelPath,
    string DatasetDirectory,
    string OnnxPath,
    string ModelName,
    string ModelVersion,
    string SourceRevision,
    DateTimeOffset CreatedUtc,
    ExecutionOptions Execution,
    PruningOptions Pruning) : ICompressStageRequest;

/// <param name="Thresholds">θ per layer (all equal with global scope): the smallest magnitude kept.</param>
/// <param name="PrunedValidationAccuracy">Right after pruning, before fine-tuning.</param>
public sealed record PruneStageResult(
    CompressedModelFiles Files,
    double TrainedTestAccuracy,
    PruningOptions Pruning,
    SparsityReport Sparsity,
    IReadOnlyList<float> Thresholds,
    double PrunedValidationAccuracy,
    int FineTuneEpochs,
    TimeSpan FineTuneDuration)
{
    /// <summary>One line for the build summary.</summary>
    public string Markdown =>
        $"**Prune**: `{Path.GetFileName(Files.OnnxPath)}`: {Sparsity.Describe()}, θ = {string.Join(" / ", Thresholds.Distinct().Select(t => t.ToString("G4", CultureInfo.InvariantCulture)))}; " +
        $"test accuracy **{Files.Test.Accuracy:P2}** (trained {TrainedTestAccuracy:P2}); {Files.OnnxBytes:N0} bytes ({Files.OnnxGzipBytes:N0} gzipped); " +
        $"fine-tuned {FineTuneEpochs} epochs in {FineTuneDuration.TotalSeconds:F1} s; ONNX Runtime parity max |Δp| {Files.Parity.MaxAbsoluteDifference:G2}";
}

/// <summary>
/// Prunes the trained model by weight magnitude to the target sparsity, fine-tunes it with the pruned weights held
/// at zero (on the training split only), and exports it as an ONNX candidate checked for parity in ONNX Runtime.
/// </summary>
public sealed class PruneStage(OrtEnvironment ort, Action<string> log, IProgress<EpochReport>? epochs = null)
{
    public const string OnnxFileName = "model.pruned.onnx";

    public async Task<PruneStageResult> RunAsync(PruneStageRequest request, CancellationToken cancellationToken)
    {
        var pruning = request.Pruning;
        pruning.Validate();
        var inputs = await CompressionInputs.LoadAsync(request, cancellationToken);
        log($"pruning {inputs.Trained.Record.Architecture} to {pruning.TargetSparsity:P1} sparsity ({pruning.Scope}), then fine-tuning " +
            $"{pruning.FineTuneEpochs} epochs from rate {pruning.FineTuneLearningRate} on {inputs.Split.Train.Count} training samples");

        var result = await MagnitudePruner.PruneAndFineTuneAsync(inputs.Trained.Model, inputs.Trained.Record.Options,
            inputs.Split.Train, inputs.Split.Validation, pruning, request.Execution, epochs, cancellationToken);
        var record = result.FineTuning.Record;
        log($"{result.Sparsity.Describe()}; validation accuracy {result.PrunedValidationAccuracy:P2} right after pruning, " +
            $"{record.BestValidationAccuracy:P2} after fine-tuning (epoch {record.BestEpoch})");

        var thresholds = result.Selection.Thresholds;
        var files = await inputs.WriteAsync(ort, log, result.Model, record, request, new Dictionary<string, string>
        {
            ["compression"] = "magnitude-pruning",
            ["targetSparsity"] = pruning.TargetSparsity.ToString(CultureInfo.InvariantCulture),
            ["pruningScope"] = pruning.Scope.ToString(),
            ["pruningThresholds"] = string.Join(",", thresholds.Select(t => t.ToString("R", CultureInfo.InvariantCulture))),
        }, new Dictionary<string, double>
        {
            ["sparsity"] = result.Sparsity.Sparsity,
            ["trained_test_accuracy"] = inputs.TrainedTest.Accuracy,
        }, "the pruned model", cancellationToken);

        return new PruneStageResult(files, inputs.TrainedTest.Accuracy, pruning, result.Sparsity, thresholds,
            result.PrunedValidationAccuracy, record.EpochsRun, result.FineTuning.Duration);
    }
}
