using Pipeline.Engine;
using Pipeline.OnnxRuntime;
using Training;
using Training.Compression;
using Pipeline.Stages;

/// <summary>Candidates beside the fp32 model: int8 quantization, magnitude pruning and distillation.</summary>
sealed partial class Build
{
    // ---- Quantization --------------------------------------------------------------------------------------------

    [Parameter("The int8 method copied to artifacts/model/model.int8.onnx (every method is written beside it)")]
    readonly QuantizationVariant QuantizationMethod = QuantizationVariant.DynamicPerChannel;

    [Parameter("Training rows used to calibrate activation ranges for static (QDQ) quantization")]
    readonly int CalibrationSamples = 1000;

    AbsolutePath Int8Model => ModelDirectory / QuantizeStage.DefaultFileName;

    Target Quantize => _ => _
        .Description("Quantizes the ONNX model to int8 (dynamic and static QDQ); writes artifacts/model/model.int8.onnx and quantization.md")
        .DependsOn(ExportOnnx)
        .OnlyWhenStatic(() => TrainsMlp)
        .Consumes(ExportOnnx, "artifacts/model/model.onnx")
        .Inputs(OnnxModel.RelativeTo(RootDirectory))
        .CodeInputs(StageProject("Quantize"))
        .Inputs(() => QuantizationMethod, () => CalibrationSamples)
        .Outputs(Int8Model.RelativeTo(RootDirectory), "artifacts/model/quantization.md")
        .Produces("artifacts/model/model.int8*.onnx", "artifacts/model/quantization.*")
        .Executes(async (ctx, ct) =>
        {
            var ort = new OrtEnvironment();
            var result = await new QuantizeStage(ort, ctx.Log.WriteLine).RunAsync(
                new QuantizeStageRequest(OnnxModel, DatasetDirectory, ModelDirectory, QuantizationMethod, CalibrationSamples), ct);
            var table = await File.ReadAllTextAsync(result.ReportPath, ct);
            ctx.Log.WriteLine(table);
            ctx.AppendStepSummary("### Quantize\n\n" + table);
        });

    // ---- Compression: pruning and distillation, candidates for the same gates ----------------------------------------

    [Parameter("Fraction of weights magnitude pruning sets to zero before fine-tuning")]
    readonly double PruneSparsity = new PruningOptions().TargetSparsity;

    [Parameter("Hidden layer widths of the distilled student MLP")]
    readonly int[] StudentHiddenLayers = [.. new DistillationOptions().StudentHiddenLayers];

    [Parameter("Distillation temperature (softens the teacher's outputs)")]
    readonly double DistillTemperature = new DistillationOptions().Temperature;

    AbsolutePath PrunedModel => ModelDirectory / PruneStage.OnnxFileName;
    AbsolutePath DistilledModel => ModelDirectory / DistillStage.OnnxFileName;

    Target Prune => _ => _
        .Description("Magnitude-prunes the trained MLP to --prune-sparsity, fine-tunes it and exports artifacts/model/model.pruned.onnx")
        .DependsOn(Train)
        .OnlyWhenStatic(() => TrainsMlp)
        .Consumes(Train, "artifacts/train/**")
        .Inputs(TrainedModel.RelativeTo(RootDirectory), DatasetFiles)
        .CodeInputs(StageProject("Compress"))
        .Inputs(() => PruneSparsity, () => ModelName)
        .Outputs(PrunedModel.RelativeTo(RootDirectory))
        .Produces("artifacts/model/model.pruned.*")
        .Executes(async (ctx, ct) =>
        {
            var ort = new OrtEnvironment();
            var (revision, created) = (await RevisionAsync(ct), DateTimeOffset.UtcNow);
            var result = await new PruneStage(ort, ctx.Log.WriteLine).RunAsync(new PruneStageRequest(TrainedModel, DatasetDirectory, PrunedModel,
                ModelName, ModelVersionFor(created, revision), revision, created, TrainingExecution,
                new PruningOptions { TargetSparsity = PruneSparsity }), ct);
            ctx.Log.WriteLine(result.Markdown);
            ctx.AppendStepSummary(result.Markdown);
        });

    Target Distill => _ => _
        .Description("Distils the trained MLP into a smaller student on its temperature-softened outputs; exports artifacts/model/model.distilled.onnx")
        .DependsOn(Train)
        .OnlyWhenStatic(() => TrainsMlp)
        .Consumes(Train, "artifacts/train/**")
        .Inputs(TrainedModel.RelativeTo(RootDirectory), DatasetFiles)
        .CodeInputs(StageProject("Compress"))
        .Inputs(() => StudentHiddenLayers, () => DistillTemperature, () => ModelName)
        .Outputs(DistilledModel.RelativeTo(RootDirectory))
        .Produces("artifacts/model/model.distilled.*")
        .Executes(async (ctx, ct) =>
        {
            var ort = new OrtEnvironment();
            var (revision, created) = (await RevisionAsync(ct), DateTimeOffset.UtcNow);
            var result = await new DistillStage(ort, ctx.Log.WriteLine).RunAsync(new DistillStageRequest(TrainedModel, DatasetDirectory, DistilledModel,
                ModelName, ModelVersionFor(created, revision), revision, created, TrainingExecution,
                new DistillationOptions { StudentHiddenLayers = StudentHiddenLayers, Temperature = DistillTemperature }), ct);
            ctx.Log.WriteLine(result.Markdown);
            ctx.AppendStepSummary(result.Markdown);
        });
}
