using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.OnnxRuntime;
using Training;
using Training.Data;
using Training.Export;
using Training.Metrics;
using Training.Models;

namespace Pipeline.Stages;

/// <summary>
/// The export steps every stage that ships an MLP as ONNX shares (the trained model, and the pruned and distilled
/// ones): its reference answers, its lineage metadata, and the export that is written only after ONNX Runtime
/// has been shown to answer exactly as the in-process model does.
/// </summary>
internal static class CheckedOnnxExport
{
    /// <summary>The model's own class probabilities on the test set (the parity reference) and its test metrics.</summary>
    public static (float[] Probabilities, MetricsReport Test) Reference(MlpModel model, DataSet test, int degreeOfParallelism)
    {
        var probabilities = model.PredictProbabilities(test.Features, degreeOfParallelism);
        return (probabilities, ClassificationMetrics.Evaluate(test.ClassNames, test.Labels, probabilities));
    }

    /// <summary>Lineage for metadata_props: the training options, architecture and best epoch from the record,
    /// data file hashes, test and validation metrics, plus any stage-specific parameters and metrics.</summary>
    public static OnnxExportMetadata Metadata(string modelName, string modelVersion, string sourceRevision, DateTimeOffset createdUtc,
        TrainingRecord record, FashionMnistData data, MetricsReport test,
        IReadOnlyDictionary<string, string>? extraParameters = null, IReadOnlyDictionary<string, double>? extraMetrics = null)
    {
        var options = JsonSerializer.SerializeToElement(record.Options, StageJson.Options);
        var parameters = options.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        parameters["architecture"] = record.Architecture;
        parameters["bestEpoch"] = record.BestEpoch.ToString(CultureInfo.InvariantCulture);
        var metrics = new Dictionary<string, double>
        {
            ["test_accuracy"] = test.Accuracy,
            ["test_log_loss"] = test.LogLoss,
            ["validation_accuracy"] = record.BestValidationAccuracy,
            ["validation_loss"] = record.BestValidationLoss,
        };
        foreach (var (key, value) in extraParameters ?? new Dictionary<string, string>()) parameters[key] = value;
        foreach (var (key, value) in extraMetrics ?? new Dictionary<string, double>()) metrics[key] = value;
        return new OnnxExportMetadata(modelName, modelVersion, sourceRevision,
            data.Files.ToDictionary(f => Path.GetFileName(f.Path), f => f.Sha256), parameters, metrics, createdUtc);
    }

    /// <summary>
    /// Exports <paramref name="model"/>, runs the export in ONNX Runtime over <paramref name="test"/> and compares
    /// it with <paramref name="reference"/>; writes <paramref name="onnxPath"/> atomically only if parity passes,
    /// else throws and leaves whatever was there before. <paramref name="modelRole"/> names the model in messages.
    /// </summary>
    public static async Task<(long Bytes, ParityReport Parity)> WriteAsync(OrtEnvironment ort, MlpModel model, OnnxExportMetadata metadata,
        DataSet test, float[] reference, string onnxPath, string modelRole, Action<string> log, CancellationToken cancellationToken)
    {
        var onnx = MlpOnnxExporter.Export(model, metadata);
        var bytes = onnx.ToByteArray();
        ParityReport parity;
        using (var session = new InferenceSession(ort, bytes))
            parity = OnnxParityChecker.Check(session, test.Features, model.InputSize, reference, model.ClassCount);
        log($"parity in ONNX Runtime {ort.Version}: {parity.Describe()}");
        if (!parity.Passed)
            throw new InvalidOperationException(
                $"The exported model does not answer like {modelRole}: {parity.Describe()}. {onnxPath} was not written.");
        await OnnxModelFile.WriteAtomicallyAsync(onnx, onnxPath, cancellationToken);
        return (bytes.Length, parity);
    }
}
