using System.Text.Json;
using Training;
using Training.Data;
using Pipeline.IO;
using Training.Metrics;
using Training.Models;
using Training.Persistence;

namespace Pipeline.Stages;

public sealed record TrainStageRequest(string DatasetDirectory, string OutputDirectory, TrainingOptions Options, ExecutionOptions Execution);

public sealed record TrainStageResult(string ModelPath, string MetricsPath, TrainingResult Training, MetricsReport Validation, MetricsReport Test);

/// <summary>
/// Loads Fashion-MNIST, splits the official training set into train and validation by seed, trains, and evaluates
/// on the official test set (used here only for the final metrics). Writes the model and metrics.json atomically.
/// </summary>
public sealed class TrainStage(Action<string> log, IProgress<EpochReport>? epochs = null, IProgress<BatchProgress>? batches = null)
{
    public const string ModelFileName = "model" + ModelFile.Extension;
    public const string MetricsFileName = "metrics.json";

    public async Task<TrainStageResult> RunAsync(TrainStageRequest request, CancellationToken cancellationToken)
    {
        request.Options.Validate();
        var data = await FashionMnist.LoadAsync(request.DatasetDirectory, cancellationToken);
        foreach (var file in data.Files)
            log($"input {file.Path} sha256:{file.Sha256}");

        var split = DataSplitter.Split(data.Train, request.Options.ValidationFraction, request.Options.Seed, request.Options.StratifiedSplit);
        log($"split {data.Train.Count} training samples into {split.Train.Count} train / {split.Validation.Count} validation (seed {request.Options.Seed}); test set: {data.Test.Count}");

        var result = await new Trainer(request.Options, request.Execution).TrainAsync(split.Train, split.Validation, epochs, batches, cancellationToken);

        var validation = Evaluate(result.Model, split.Validation, request.Execution);
        var test = Evaluate(result.Model, data.Test, request.Execution);
        var document = TrainingMetricsDocument.Create(result, validation, test, data.Files);

        Directory.CreateDirectory(request.OutputDirectory);
        var modelPath = Path.Combine(request.OutputDirectory, ModelFileName);
        var metricsPath = Path.Combine(request.OutputDirectory, MetricsFileName);
        await ModelFile.SaveAsync(modelPath, result.Model, result.Record, cancellationToken);
        await AtomicFile.WriteAllBytesAsync(metricsPath, JsonSerializer.SerializeToUtf8Bytes(document, StageJson.Options), cancellationToken);
        return new TrainStageResult(modelPath, metricsPath, result, validation, test);
    }

    private static MetricsReport Evaluate(MlpModel model, DataSet data, ExecutionOptions execution)
    {
        var probabilities = model.PredictProbabilities(data.Features, execution.DegreeOfParallelism);
        return ClassificationMetrics.Evaluate(data.ClassNames, data.Labels, probabilities);
    }
}
