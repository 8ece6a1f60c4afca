using System.Globalization;
using Pipeline.OnnxRuntime;
using Training;
using Training.Compression;
using Training.Models;

namespace Pipeline.Stages;

/// <param name="OnnxPath">Where the student ONNX model goes (artifacts/model/model.distilled.onnx); the .mlp is written beside it.</param>
public sealed record DistillStageRequest(
    string TrainedModelPath,
    string DatasetDirectory,
    string OnnxPath,
    string ModelName,
    string ModelVersion,
    string SourceRevision,
    DateTimeOffset CreatedUtc,
    ExecutionOptions Execution,
    DistillationOptions Distillation) : ICompressStageRequest;

/// <param name="TeacherParameters">Weights and biases of the teacher (the normalizer, the same for both, not counted).</param>
public sealed record DistillStageResult(
    CompressedModelFiles Files,
    double TeacherTestAccuracy,
    string TeacherArchitecture,
    long TeacherParameters,
    string StudentArchitecture,
    long StudentParameters,
    DistillationOptions Distillation,
    int EpochsRun,
    TimeSpan TrainingDuration)
{
    /// <summary>One line for the build summary.</summary>
    public string Markdown =>
        $"**Distill**: `{Path.GetFileName(Files.OnnxPath)}`: student {StudentArchitecture} ({StudentParameters:N0} parameters) from teacher " +
        $"{TeacherArchitecture} ({TeacherParameters:N0}), T = {Distillation.Temperature.ToString(CultureInfo.InvariantCulture)}, " +
        $"α = {Distillation.Alpha.ToString(CultureInfo.InvariantCulture)}; test accuracy **{Files.Test.Accuracy:P2}** (teacher {TeacherTestAccuracy:P2}); " +
        $"{Files.OnnxBytes:N0} bytes; trained {EpochsRun} epochs in {TrainingDuration.TotalSeconds:F1} s; ONNX Runtime parity max |Δp| {Files.Parity.MaxAbsoluteDifference:G2}";
}

/// <summary>
/// Distills the trained model into a smaller MLP (trained on the teacher's softened outputs and the labels of the
/// training split only) and exports the student as an ONNX candidate checked for parity in ONNX Runtime.
/// </summary>
public sealed class DistillStage(OrtEnvironment ort, Action<string> log, IProgress<EpochReport>? epochs = null)
{
    public const string OnnxFileName = "model.distilled.onnx";

    public async Task<DistillStageResult> RunAsync(DistillStageRequest request, CancellationToken cancellationToken)
    {
        var distillation = request.Distillation;
        distillation.Validate();
        var inputs = await CompressionInputs.LoadAsync(request, cancellationToken);
        var teacher = inputs.Trained;
        var studentOptions = distillation.Student(teacher.Record.Options);
        log($"distilling {teacher.Record.Architecture} into {studentOptions.Architecture(teacher.Model.InputSize, teacher.Model.ClassCount)} " +
            $"(T = {distillation.Temperature}, α = {distillation.Alpha}, {studentOptions.MaxEpochs} epochs) on {inputs.Split.Train.Count} training samples");

        var result = await Distiller.DistillAsync(teacher.Model, teacher.Record.Options, inputs.Split.Train, inputs.Split.Validation,
            distillation, request.Execution, epochs, cancellationToken);
        var record = result.Training.Record;
        log($"student validation accuracy {record.BestValidationAccuracy:P2} (epoch {record.BestEpoch} of {record.EpochsRun})");

        var files = await inputs.WriteAsync(ort, log, result.Student, record, request, new Dictionary<string, string>
        {
            ["compression"] = "distillation",
            ["teacherArchitecture"] = teacher.Record.Architecture,
            ["distillationTemperature"] = distillation.Temperature.ToString(CultureInfo.InvariantCulture),
            ["distillationAlpha"] = distillation.Alpha.ToString(CultureInfo.InvariantCulture),
        }, new Dictionary<string, double>
        {
            ["teacher_test_accuracy"] = inputs.TrainedTest.Accuracy,
        }, "the distilled student", cancellationToken);

        return new DistillStageResult(files, inputs.TrainedTest.Accuracy, teacher.Record.Architecture, ParameterCount(teacher.Model),
            record.Architecture, ParameterCount(result.Student), distillation, record.EpochsRun, result.Training.Duration);
    }

    private static long ParameterCount(MlpModel model) => model.Layers.Sum(l => (long)l.Weights.Length + l.Bias.Length);
}
