using Pipeline.IO;
using Pipeline.Gates;
using Pipeline.Onnx;
using Pipeline.OnnxRuntime;
using Pipeline.Quantization;
using Pipeline.Quantization.Calibration;
using Training.Data;
using Training.Export;

namespace Pipeline.Stages;

public sealed record QuantizeStageRequest(
    string Fp32ModelPath,
    string DatasetDirectory,
    string OutputDirectory,
    QuantizationVariant DefaultVariant,
    int CalibrationSamples);

public sealed record QuantizeStageResult(string DefaultModelPath, IReadOnlyList<CandidateMeasurement> Measurements, string ReportPath);

/// <summary>
/// Writes every int8 variant of the fp32 model, copies the chosen default to model.int8.onnx, and measures each in
/// ONNX Runtime (size, test accuracy, latency at batch 1 and 64) into quantization.md and quantization.json.
/// Static variants are calibrated on rows of the training set, never the test set.
/// </summary>
/// <param name="machine">The CPU doing the measuring (default: this machine's), named in quantization.md.</param>
public sealed class QuantizeStage(OrtEnvironment ort, Action<string> log, EvaluationOptions? evaluation = null, CpuFeatures? machine = null)
{
    public const string DefaultFileName = "model.int8.onnx";

    public async Task<QuantizeStageResult> RunAsync(QuantizeStageRequest request, CancellationToken cancellationToken)
    {
        var fp32 = await OnnxModelFile.ReadAsync(request.Fp32ModelPath, cancellationToken);
        var data = await FashionMnist.LoadAsync(request.DatasetDirectory, cancellationToken);
        var calibration = CalibrationRows(data.Train, request.CalibrationSamples);

        var written = new List<(QuantizationVariant Variant, string Path)>();
        var saturation = new Dictionary<string, U8S8SaturationReport>(StringComparer.Ordinal);
        foreach (var variant in Enum.GetValues<QuantizationVariant>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = QuantizationVariants.IsStatic(variant)
                ? await StaticQdqQuantizer.QuantizeAsync(fp32,
                    new InMemoryCalibrationDataSource(MlpOnnxExporter.InputName, calibration, data.Train.FeatureCount),
                    new OnnxRuntimeCalibrationRunner(ort), QuantizationVariants.StaticOptions(variant), cancellationToken)
                : DynamicInt8Quantizer.Quantize(fp32, QuantizationVariants.DynamicOptions(variant));
            if (result.Summary.IsUnchanged)
                throw new InvalidOperationException($"{variant}: {result.Summary.Message}");
            var path = Path.Combine(request.OutputDirectory, QuantizationVariants.FileName(variant));
            await OnnxModelFile.WriteAtomicallyAsync(result.Model, path, cancellationToken);
            log($"{variant}: {result.Summary.QuantizedNodeCount} MatMul nodes quantized, weights " +
                $"{result.Summary.OriginalInitializerBytes:N0} → {result.Summary.QuantizedInitializerBytes:N0} bytes");
            written.Add((variant, path));
            saturation[QuantizationVariants.CandidateName(variant)] = U8S8Saturation.Analyze(result.Model);
        }

        var defaultPath = Path.Combine(request.OutputDirectory, DefaultFileName);
        await AtomicFile.CopyAsync(written.Single(w => w.Variant == request.DefaultVariant).Path, defaultPath, cancellationToken);
        log($"{DefaultFileName} = {QuantizationVariants.FileName(request.DefaultVariant)} (the default method, --quantization-method)");

        var testSet = new LabelledTestSet(data.Test.Features.ToArray(), data.Test.Labels.ToArray(), data.Test.FeatureCount);
        var evaluator = new OnnxModelEvaluator(evaluation);
        var measurements = new List<CandidateMeasurement>
        {
            evaluator.Evaluate(new ModelCandidate("fp32", request.Fp32ModelPath, CandidateKind.Fp32), ort, testSet, cancellationToken: cancellationToken),
        };
        foreach (var (variant, path) in written)
            measurements.Add(evaluator.Evaluate(new ModelCandidate(QuantizationVariants.CandidateName(variant), path, CandidateKind.Quantized),
                ort, testSet, cancellationToken: cancellationToken));

        var report = QuantizationReport.Render(measurements, QuantizationVariants.CandidateName(request.DefaultVariant), saturation,
            machine ?? CpuFeatures.Detect());
        var reportPath = Path.Combine(request.OutputDirectory, QuantizationReport.MarkdownFileName);
        await QuantizationReport.WriteAsync(measurements, report, request.OutputDirectory, cancellationToken);
        return new QuantizeStageResult(defaultPath, measurements, reportPath);
    }

    /// <summary>Evenly spaced rows, so the sample covers the whole (shuffled-by-class) training file deterministically.</summary>
    private static float[] CalibrationRows(DataSet train, int count)
    {
        count = Math.Clamp(count, 1, train.Count);
        var step = train.Count / count;
        var rows = new float[count * train.FeatureCount];
        for (var i = 0; i < count; i++)
            train.Sample(i * step).CopyTo(rows.AsSpan(i * train.FeatureCount, train.FeatureCount));
        return rows;
    }
}
