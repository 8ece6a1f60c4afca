using Training.Compute;
using Training.Data;
using Training.Metrics;
using Training.Models;

namespace Training;

/// <summary>A finished run: the trained model and record, and its metrics on validation and the official test set.</summary>
public sealed record TrainingRun(TrainingResult Training, MetricsReport Validation, MetricsReport Test, TrainingMetricsDocument Metrics);

/// <summary>Data to metrics in one call: split the training file, train, then evaluate on validation and test.</summary>
public static class TrainingWorkflow
{
    /// <summary>Loads Fashion-MNIST from <paramref name="dataDirectory"/> and runs <see cref="RunAsync(FashionMnistData, TrainingOptions, ExecutionOptions?, IProgress{EpochReport}?, IProgress{BatchProgress}?, TimeProvider?, CancellationToken)"/>.</summary>
    public static async Task<TrainingRun> RunAsync(string dataDirectory, TrainingOptions options, ExecutionOptions? execution = null,
        IProgress<EpochReport>? epochProgress = null, IProgress<BatchProgress>? batchProgress = null, TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        var data = await FashionMnist.LoadAsync(dataDirectory, cancellationToken);
        return await RunAsync(data, options, execution, epochProgress, batchProgress, timeProvider, cancellationToken);
    }

    /// <summary>
    /// Holds out <see cref="TrainingOptions.ValidationFraction"/> of the training set (seeded), trains on the rest,
    /// and measures the best model on the validation split and on the test set (which plays no part in training).
    /// </summary>
    public static async Task<TrainingRun> RunAsync(FashionMnistData data, TrainingOptions options, ExecutionOptions? execution = null,
        IProgress<EpochReport>? epochProgress = null, IProgress<BatchProgress>? batchProgress = null, TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        execution ??= new ExecutionOptions();
        var split = DataSplitter.Split(data.Train, options.ValidationFraction, options.Seed, options.StratifiedSplit);
        var trainer = new Trainer(options, execution, timeProvider);
        var result = await trainer.TrainAsync(split.Train, split.Validation, epochProgress, batchProgress, cancellationToken);

        using var pool = new WorkerPool(execution.DegreeOfParallelism);
        var predictor = new MlpPredictor(result.Model, new MatrixMultiplier(pool, execution.Kernel));
        var validation = Evaluate(predictor, split.Validation);
        var test = Evaluate(predictor, data.Test);
        var metrics = TrainingMetricsDocument.Create(result, validation, test, data.Files);
        return new TrainingRun(result, validation, test, metrics);
    }

    public static MetricsReport Evaluate(MlpPredictor predictor, DataSet data) =>
        ClassificationMetrics.Evaluate(data.ClassNames, data.Labels, predictor.PredictProbabilities(data.Features));
}
