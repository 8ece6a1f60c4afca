using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.OnnxRuntime;
using Training.Data;
using Training.Export;
using Training.Metrics;
using Training.Models;
using Training.Persistence;

namespace Pipeline.Stages;

public sealed record ExportStageRequest(
    string TrainedModelPath,
    string DatasetDirectory,
    string OnnxPath,
    string ModelName,
    string ModelVersion,
    string SourceRevision,
    DateTimeOffset CreatedUtc,
    int DegreeOfParallelism);

public sealed record ExportStageResult(string OnnxPath, long Bytes, MetricsReport Test, ParityReport Parity);

/// <summary>
/// Exports the trained model to ONNX with its lineage in metadata_props, then proves in ONNX Runtime that the file
/// answers exactly as the trained model does on the whole test set. A parity failure removes nothing that was
/// there before: the new file is written only after the check passes.
/// </summary>
public sealed class ExportStage(OrtEnvironment ort, Action<string> log)
{
    public async Task<ExportStageResult> RunAsync(ExportStageRequest request, CancellationToken cancellationToken)
    {
        var saved = await ModelFile.LoadAsync(request.TrainedModelPath, cancellationToken);
        var data = await FashionMnist.LoadAsync(request.DatasetDirectory, cancellationToken);
        var reference = saved.Model.PredictProbabilities(data.Test.Features, request.DegreeOfParallelism);
        var test = ClassificationMetrics.Evaluate(data.Test.ClassNames, data.Test.Labels, reference);

        var model = MlpOnnxExporter.Export(saved.Model, Metadata(request, saved, data, test));
        var bytes = model.ToByteArray();
        using var session = new InferenceSession(ort, bytes);
        var parity = OnnxParityChecker.Check(session, data.Test.Features, saved.Model.InputSize, reference, saved.Model.ClassCount);
        log($"parity in ONNX Runtime {ort.Library.Version}: {parity.Describe()}");
        if (!parity.Passed)
            throw new InvalidOperationException(
                $"The exported model does not answer like the trained model: {parity.Describe()}. {request.OnnxPath} was not written.");

        await OnnxModelFile.WriteAtomicallyAsync(model, request.OnnxPath, cancellationToken);
        log($"wrote {request.OnnxPath} ({bytes.Length:N0} bytes), test accuracy {test.Accuracy:P2}");
        return new ExportStageResult(request.OnnxPath, bytes.Length, test, parity);
    }

    private static OnnxExportMetadata Metadata(ExportStageRequest request, SavedModel saved, FashionMnistData data, MetricsReport test)
    {
        var options = JsonSerializer.SerializeToElement(saved.Record.Options, StageJson.Options);
        var parameters = options.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        parameters["architecture"] = saved.Record.Architecture;
        parameters["bestEpoch"] = saved.Record.BestEpoch.ToString(CultureInfo.InvariantCulture);
        return new OnnxExportMetadata(
            request.ModelName,
            request.ModelVersion,
            request.SourceRevision,
            data.Files.ToDictionary(f => Path.GetFileName(f.Path), f => f.Sha256),
            parameters,
            new Dictionary<string, double>
            {
                ["test_accuracy"] = test.Accuracy,
                ["test_log_loss"] = test.LogLoss,
                ["validation_accuracy"] = saved.Record.BestValidationAccuracy,
                ["validation_loss"] = saved.Record.BestValidationLoss,
            },
            request.CreatedUtc);
    }
}
