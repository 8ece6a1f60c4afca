using Pipeline.Engine;
using Pipeline.OnnxRuntime;
using Training;
using Pipeline.Stages;

/// <summary>Training: Train the MLP and export it to ONNX with a parity check.</summary>
sealed partial class Build
{
    // ---- Training -----------------------------------------------------------------------------------------------

    [Parameter("Seed for the train/validation split, initialization, shuffling and dropout")]
    readonly int Seed = checked((int)DefaultTraining.Seed);

    [Parameter("Hidden layer widths of the MLP; an empty list trains softmax regression")]
    readonly int[] HiddenLayers = [.. DefaultTraining.HiddenLayers];

    [Parameter("Maximum training epochs (early stopping on validation loss may stop sooner)")]
    readonly int Epochs = DefaultTraining.MaxEpochs;

    [Parameter("Mini-batch size")]
    readonly int BatchSize = DefaultTraining.BatchSize;

    [Parameter("Optimizer: Adam or Sgd (with Nesterov momentum)")]
    readonly OptimizerKind Optimizer = DefaultTraining.Optimizer;

    [Parameter("Peak learning rate (cosine schedule with warm-up)")]
    readonly double LearningRate = DefaultTraining.LearningRate;

    [Parameter("Weight decay: decoupled (AdamW) with Adam, L2 on the gradient with Sgd")]
    readonly double WeightDecay = DefaultTraining.WeightDecay;

    [Parameter("Dropout rate on hidden layers during training")]
    readonly double Dropout = DefaultTraining.Dropout;

    [Parameter("Epochs without validation-loss improvement before training stops")]
    readonly int Patience = DefaultTraining.EarlyStoppingPatience;

    [Parameter("Fraction of the official training set held out for validation")]
    readonly double ValidationFraction = DefaultTraining.ValidationFraction;

    [Parameter("Threads for training (0 = every core); the weights do not depend on it")]
    readonly int Threads;

    static readonly TrainingOptions DefaultTraining = new();

    AbsolutePath TrainDirectory => ArtifactsDirectory / "train";
    AbsolutePath ModelDirectory => ArtifactsDirectory / "model";
    AbsolutePath TrainedModel => TrainDirectory / TrainStage.ModelFileName;
    AbsolutePath OnnxModel => ModelDirectory / "model.onnx";

    Target Train => _ => _
        .Description("Trains the MLP on Fashion-MNIST; writes artifacts/train/model.mlp and metrics.json")
        .DependsOn(Setup)
        .OnlyWhenStatic(() => TrainsMlp)
        .Inputs(DatasetFiles)
        .CodeInputs(StageProject("Train"))
        .Inputs(() => Seed, () => HiddenLayers, () => Epochs, () => BatchSize, () => Optimizer, () => LearningRate,
            () => WeightDecay, () => Dropout, () => Patience, () => ValidationFraction)
        .Outputs(TrainedModel.RelativeTo(RootDirectory), (TrainDirectory / TrainStage.MetricsFileName).RelativeTo(RootDirectory))
        .Produces("artifacts/train/**")
        .Executes(async (ctx, ct) =>
        {
            var result = await TrainingProgressView.RunAsync(ctx, Epochs, view =>
                new TrainStage(ctx.Log.WriteLine, view, view).RunAsync(
                    new TrainStageRequest(DatasetDirectory, TrainDirectory, TrainingOptions, TrainingExecution), ct));
            ctx.Log.WriteLine($"test accuracy {result.Test.Accuracy:P2}, log loss {result.Test.LogLoss:F4}; " +
                              $"{result.Training.Record.EpochsRun} epochs ({result.Training.Record.StopReason}) in {result.Training.Duration.TotalSeconds:F0} s");
            ctx.AppendStepSummary($"### Train\n\nTest accuracy **{result.Test.Accuracy:P2}**, {result.Training.Record.EpochsRun} epochs in {result.Training.Duration.TotalSeconds:F0} s\n");
        });

    Target ExportOnnx => _ => _
        .Description("Exports artifacts/model/model.onnx and checks in ONNX Runtime that it answers exactly as the trained model")
        .DependsOn(Train)
        .OnlyWhenStatic(() => TrainsMlp)
        .Consumes(Train, "artifacts/train/**")
        .Inputs(TrainedModel.RelativeTo(RootDirectory))
        .CodeInputs(StageProject("Export"))
        .Inputs(() => ModelName)
        .Outputs(OnnxModel.RelativeTo(RootDirectory))
        .Produces("artifacts/model/model.onnx")
        .Executes(async (ctx, ct) =>
        {
            var ort = new OrtEnvironment();
            var (revision, created) = (await RevisionAsync(ct), DateTimeOffset.UtcNow);
            var version = ModelVersionFor(created, revision);
            await new ExportStage(ort, ctx.Log.WriteLine).RunAsync(new ExportStageRequest(
                TrainedModel, DatasetDirectory, OnnxModel, ModelName, version, revision, created, TrainingExecution.DegreeOfParallelism), ct);
        });

    TrainingOptions TrainingOptions => DefaultTraining with
    {
        Seed = (ulong)Seed,
        HiddenLayers = HiddenLayers,
        MaxEpochs = Epochs,
        BatchSize = BatchSize,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        Dropout = Dropout,
        EarlyStoppingPatience = Patience,
        ValidationFraction = ValidationFraction,
    };

    ExecutionOptions TrainingExecution => new() { DegreeOfParallelism = Threads > 0 ? Threads : Environment.ProcessorCount };

    string DatasetFiles => Path.Combine(DatasetDirectory, "*-ubyte*");
}
