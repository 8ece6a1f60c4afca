using Pipeline.OnnxRuntime;
using Training.Data;
using Training.Metrics;
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
        var (reference, test) = CheckedOnnxExport.Reference(saved.Model, data.Test, request.DegreeOfParallelism);
        var metadata = CheckedOnnxExport.Metadata(request.ModelName, request.ModelVersion, request.SourceRevision, request.CreatedUtc,
            saved.Record, data, test);
        var (bytes, parity) = await CheckedOnnxExport.WriteAsync(ort, saved.Model, metadata, data.Test, reference, request.OnnxPath,
            "the trained model", log, cancellationToken);
        log($"wrote {request.OnnxPath} ({bytes:N0} bytes), test accuracy {test.Accuracy:P2}");
        return new ExportStageResult(request.OnnxPath, bytes, test, parity);
    }
}
