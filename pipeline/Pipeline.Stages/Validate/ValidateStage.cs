using Pipeline.Drift;
using Pipeline.Gates;
using Pipeline.ModelRegistry;
using Pipeline.OnnxRuntime;
using Training.Models;
using Training.Persistence;

namespace Pipeline.Stages;

/// <param name="TrainedModelPath">The trained MLP (model.mlp), the fp32 export's parity reference; null when no MLP competes.</param>
public sealed record ValidateStageRequest(
    IReadOnlyList<ModelCandidate> Candidates,
    string? TrainedModelPath,
    ModelSource Data,
    GateThresholds Thresholds,
    string Environment,
    string OutputDirectory,
    string ModelName,
    string SourceRevision)
{
    /// <summary>Whose production the regression gate measures against; null = the environment-wide record of <see cref="Environment"/>.</summary>
    public ReleaseTarget? Target { get; init; }
}

public sealed record ValidateStageResult(GateReport Report, ReleaseManifest? Release, string MarkdownPath);

/// <summary>
/// Measures every candidate in ONNX Runtime on the held-out test set, applies the release gates (including the
/// regression gate against what is in production for the environment, re-measured on the same data), writes
/// gates.json and gates.md, and registers the chosen model with its lineage and gate results.
/// Nothing is registered when no candidate passes; the caller fails the target with the decision's explanation.
/// </summary>
/// <param name="machine">The CPU doing the measuring (default: this machine's), recorded in gates.json and the registry.</param>
public sealed class ValidateStage(OrtEnvironment ort, IModelRegistry registry, Action<string> log, EvaluationOptions? evaluation = null,
    CpuFeatures? machine = null)
{
    private readonly CpuFeatures _machine = machine ?? CpuFeatures.Detect();

    public async Task<ValidateStageResult> RunAsync(ValidateStageRequest request, CancellationToken cancellationToken)
    {
        request.Thresholds.Validate();
        request.Data.RequireGatedTask();
        var data = await ModelTestData.LoadAsync(request.Data, cancellationToken);
        var testSet = data.TestSet;
        var saved = request.TrainedModelPath is { } trained ? await ModelFile.LoadAsync(trained, cancellationToken) : null;
        var reference = saved?.Model.PredictProbabilities(testSet.Features ?? throw new InvalidOperationException(
            $"Model '{request.Data.Name}' has no MLP test set, so a trained MLP cannot be its reference; validate its ML.NET candidates only."));
        var evaluator = new OnnxModelEvaluator(evaluation);

        var measurements = new List<CandidateMeasurement>();
        foreach (var candidate in request.Candidates)
        {
            var measurement = evaluator.Evaluate(candidate, ort, testSet, cancellationToken: cancellationToken);
            log($"{candidate.Name}: accuracy {measurement.Accuracy:P2}, {measurement.SizeMb:F3} MB, batch-1 p99 {measurement.SingleRowLatency.P99Ms:F3} ms");
            measurements.Add(measurement);
        }

        var production = await MeasureProductionAsync(request.Target ?? new ReleaseTarget(request.Environment) { Model = request.ModelName }, evaluator, testSet, cancellationToken);
        var report = ReleaseGates.Evaluate(request.Thresholds, production, measurements, reference) with { MeasuredOn = _machine };
        log($"measured on {_machine.Describe()}");
        var (_, markdownPath) = await GateReportFiles.WriteAsync(report, request.OutputDirectory, cancellationToken);
        log(report.Decision.Explanation);
        if (report.Decision.Winner is not { } winner)
            return new ValidateStageResult(report, null, markdownPath);

        var chosen = measurements.Single(m => m.Name == winner);
        var version = await registry.RegisterAsync(new ModelRegistration
        {
            ModelName = request.ModelName,
            ModelPath = chosen.Path,
            SourceRevision = request.SourceRevision,
            DataHashes = data.DataHashes.ToDictionary(),
            Parameters = chosen.Kind == CandidateKind.Independent || saved is null
                ? new Dictionary<string, string> { ["trainer"] = "ML.NET", ["seed"] = request.Data.Seed.ToString() }
                : new Dictionary<string, string>
                {
                    ["architecture"] = saved.Record.Architecture,
                    ["seed"] = saved.Record.Options.Seed.ToString(),
                    ["epochs_run"] = saved.Record.EpochsRun.ToString(),
                },
            Metrics = new Dictionary<string, double>
            {
                ["test_accuracy"] = chosen.Accuracy,
                ["test_log_loss"] = chosen.LogLoss,
                ["size_mb"] = chosen.SizeMb,
                ["latency_p99_ms_batch1"] = chosen.SingleRowLatency.P99Ms,
            },
            Gates = report.OutcomesFor(winner).Select(o => new GateResult(o.Gate, o.Threshold, o.Measured ?? 0, o.Passed)).ToList(),
            Labels = new Dictionary<string, string> { ["candidate"] = winner },
            MeasuredOn = new Dictionary<string, string>
            {
                ["cpu"] = _machine.ModelName,
                ["cpu_flags"] = string.Join(' ', _machine.Flags),
                ["int8_kernel"] = _machine.Int8Kernel,
            },
        }, cancellationToken);
        log($"registered {request.ModelName} {version.VersionId} (sha256:{version.Sha256[..12]}…, candidate {winner})");
        var baselinePath = await RecordDriftBaselineAsync(request, chosen.Path, version.VersionId, cancellationToken);

        var release = new ReleaseManifest(request.ModelName, version.VersionId, version.Sha256, winner, chosen.Path, request.SourceRevision)
        {
            DriftBaselinePath = baselinePath,
        };
        await release.WriteAsync(Path.Combine(request.OutputDirectory, ReleaseManifest.FileName), cancellationToken);
        return new ValidateStageResult(report, release, markdownPath);
    }

    /// <summary>
    /// Writes the version's drift baseline to gates/drift-baseline.json and keeps it with the version in the registry,
    /// so a rollback or re-deploy of this version serves its own baseline.
    /// </summary>
    private async Task<string> RecordDriftBaselineAsync(ValidateStageRequest request, string modelPath, string versionId, CancellationToken cancellationToken)
    {
        var baseline = await DriftBaselineRecorder.RecordAsync(ort, modelPath, request.Data, request.ModelName, versionId, cancellationToken);
        var path = Path.GetFullPath(Path.Combine(request.OutputDirectory, DriftBaseline.FileName));
        await DriftBaselineFile.WriteAsync(path, baseline, cancellationToken);
        await registry.PutVersionFileAsync(versionId, DriftBaseline.FileName, path, cancellationToken);
        log($"drift baseline: {string.Join(", ", baseline.Quantities.Select(q => q.Name))} from {baseline.ReferenceRows} {baseline.ReferenceSource} rows -> {path}");
        return path;
    }

    private async Task<ProductionBaseline> MeasureProductionAsync(ReleaseTarget target, OnnxModelEvaluator evaluator,
        LabelledTestSet testSet, CancellationToken cancellationToken)
    {
        var environment = target.ToString();
        var production = await registry.GetProductionAsync(target, cancellationToken);
        if (production is null)
            return ProductionBaseline.Empty(environment);

        // Re-measure rather than trust the recorded metric: the gate must compare on exactly this test set.
        var file = Path.Combine(Path.GetTempPath(), $"production-{production.Sha256}.onnx");
        try
        {
            await registry.ExportBlobAsync(production.VersionId, file, cancellationToken);
            var measured = evaluator.Evaluate(new ModelCandidate("production", file, CandidateKind.Fp32), ort, testSet, cancellationToken: cancellationToken);
            log($"production in {environment}: {production.VersionId}, accuracy {measured.Accuracy:P2}");
            return new ProductionBaseline(environment, new ProductionModel(production.VersionId, measured.Accuracy));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
