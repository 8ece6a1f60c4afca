using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Pipeline.IO;
using Training.MlNet;

namespace Pipeline.Stages;

/// <param name="Include">Candidates to train by name; empty = every candidate that is not opt-in.</param>
public sealed record MlNetTrainStageRequest(
    ModelSource Data,
    IReadOnlyList<string> Include,
    string TrainDirectory,
    string ModelDirectory,
    string ModelVersion,
    string SourceRevision,
    DateTimeOffset Created);

/// <summary>One ML.NET candidate, trained and exported: its ONNX file (checked against ML.NET), its ML.NET model and its test metrics.</summary>
public sealed record MlNetCandidateResult(string Name, string OnnxPath, string MlNetModelPath, double TrainingSeconds, double ExportSeconds,
    IReadOnlyDictionary<string, double> TestMetrics);

public sealed record MlNetTrainStageResult(IReadOnlyList<MlNetCandidateResult> Candidates, string ReportPath);

/// <summary>
/// Trains every ML.NET candidate of the model definition on its training rows, then exports each with
/// OnnxConverter into the serving contract; the exporter writes a file only once ONNX Runtime has answered the whole
/// test set exactly as ML.NET does. Writes <c>mlnet.json</c> with each candidate's time and metrics.
/// </summary>
public sealed class MlNetTrainStage(Action<string> log)
{
    public const string ReportFileName = "mlnet.json";

    /// <summary>The ONNX file a candidate is exported to, which Validate measures.</summary>
    public static string OnnxFileName(string candidate) => $"model.mlnet-{candidate}.onnx";

    public async Task<MlNetTrainStageResult> RunAsync(MlNetTrainStageRequest request, CancellationToken cancellationToken)
    {
        request.Data.RequireGatedTask();
        var definition = request.Data.Definition;
        var ml = new MLContext(request.Data.Seed);
        var data = await definition.LoadAsync(ml, request.Data.Files, request.Data.Seed, cancellationToken);
        var include = request.Include.Count == 0 ? null : request.Include.ToHashSet(StringComparer.Ordinal);
        var trained = await new MlNetTrainer().TrainAsync(definition, data, request.Data.Seed, include, log, cancellationToken);
        var hashes = await ModelTestData.HashFilesAsync(data.SourceFiles, cancellationToken);

        Directory.CreateDirectory(request.TrainDirectory);
        Directory.CreateDirectory(request.ModelDirectory);
        var results = new List<MlNetCandidateResult>();
        foreach (var candidate in trained)
        {
            var zip = Path.Combine(request.TrainDirectory, $"mlnet-{candidate.Name}.zip");
            await new MlNetTrainer().SaveAsync(candidate, zip, cancellationToken);
            var onnx = Path.Combine(request.ModelDirectory, OnnxFileName(candidate.Name));
            var metadata = new MlNetExportMetadata(definition.Name, request.ModelVersion, request.SourceRevision, hashes,
                new Dictionary<string, string> { ["candidate"] = candidate.Name, ["seed"] = request.Data.Seed.ToString() }, request.Created);
            var clock = Stopwatch.StartNew();
            await new MlNetOnnxExporter().ExportToFileAsync(ml, definition, candidate, data, metadata, onnx, cancellationToken);
            log($"{candidate.Name}: exported to {Path.GetFileName(onnx)} in {clock.Elapsed.TotalSeconds:F1} s; ONNX Runtime answers the whole test set as ML.NET does; " +
                QuantizationApplicability.Describe(await File.ReadAllBytesAsync(onnx, cancellationToken)));
            results.Add(new MlNetCandidateResult(candidate.Name, onnx, zip, candidate.TrainingTime.TotalSeconds, clock.Elapsed.TotalSeconds, candidate.TestMetrics));
        }

        var report = Path.Combine(request.TrainDirectory, ReportFileName);
        await AtomicFile.WriteAllBytesAsync(report, JsonSerializer.SerializeToUtf8Bytes(
            new { model = definition.Name, task = definition.Task.ToString(), candidates = results }, StageJson.Options), cancellationToken);
        return new MlNetTrainStageResult(results, report);
    }
}
