using Training.Compute;
using Training.Data;
using Training.Models;
using Training.Tests.Support;

namespace Training.Tests;

public sealed class TrainerTests
{
    /// <summary>Big enough that every product runs on several threads (above the parallel threshold), odd sizes for edge tiles.</summary>
    private static readonly TrainingOptions SmallMlp = new()
    {
        HiddenLayers = [130, 37],
        Dropout = 0.2,
        BatchSize = 100,
        MaxEpochs = 2,
        WarmupEpochs = 0,
        LearningRate = 3e-3,
        Seed = 5,
    };

    private static readonly DataSet Blobs = SyntheticData.Blobs(1000, 250, 4, seed: 1, spread: 3.0);

    private static async Task<TrainingResult> Train(TrainingOptions options, DataSet data, ExecutionOptions? execution = null)
    {
        var split = DataSplitter.Split(data, options.ValidationFraction, options.Seed);
        return await new Trainer(options, execution).TrainAsync(split.Train, split.Validation);
    }

    private static byte[] WeightBytes(MlpModel model) =>
        model.Layers.SelectMany(l => l.Weights.Concat(l.Bias)).SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public async Task Weights_are_bit_identical_for_any_thread_count_and_kernel()
    {
        var reference = WeightBytes((await Train(SmallMlp, Blobs, new ExecutionOptions { DegreeOfParallelism = 1 })).Model);

        foreach (var threads in new[] { 2, 3 })
            Assert.Equal(reference, WeightBytes((await Train(SmallMlp, Blobs, new ExecutionOptions { DegreeOfParallelism = threads })).Model));
        foreach (var kernel in GemmKernels.Supported())
            Assert.Equal(reference, WeightBytes((await Train(SmallMlp, Blobs, new ExecutionOptions { DegreeOfParallelism = 2, Kernel = kernel })).Model));
    }

    [Fact]
    public async Task Same_seed_repeats_and_another_seed_differs()
    {
        var first = await Train(SmallMlp, Blobs);
        var again = await Train(SmallMlp, Blobs);
        var other = await Train(SmallMlp with { Seed = 6 }, Blobs);

        Assert.Equal(WeightBytes(first.Model), WeightBytes(again.Model));
        Assert.Equal(first.Record.LearningCurve, again.Record.LearningCurve);
        Assert.NotEqual(WeightBytes(first.Model), WeightBytes(other.Model));
    }

    [Fact]
    public async Task Mlp_learns_separable_data_and_reports_each_epoch()
    {
        var split = DataSplitter.Split(Blobs, 0.1, 5);
        var epochs = new SyncProgress<EpochReport>();
        var batches = new SyncProgress<BatchProgress>();

        var result = await new Trainer(SmallMlp).TrainAsync(split.Train, split.Validation, epochs, batches);

        Assert.Equal([1, 2], epochs.Reports.Select(r => r.Epoch));
        Assert.Equal(2 * 9, batches.Reports.Count);
        Assert.Equal((9, 9), (batches.Reports[^1].Batch, batches.Reports[^1].BatchCount));
        Assert.True(epochs.Reports[1].TrainLoss < epochs.Reports[0].TrainLoss);
        Assert.True(epochs.Reports[^1].ValidationAccuracy > 0.9, $"validation accuracy {epochs.Reports[^1].ValidationAccuracy}");
        Assert.Equal("250-130-37-4", result.Record.Architecture);
        Assert.Equal((899, 101), (result.Record.TrainSamples, result.Record.ValidationSamples));
        Assert.Equal([Activation.Relu, Activation.Relu, Activation.None], result.Model.Layers.Select(l => l.Activation));
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    public async Task Softmax_regression_trains_with_either_optimizer(OptimizerKind optimizer)
    {
        var options = new TrainingOptions
        {
            HiddenLayers = [], Dropout = 0, Optimizer = optimizer, LearningRate = optimizer == OptimizerKind.Sgd ? 0.05 : 1e-2,
            BatchSize = 32, MaxEpochs = 5, WarmupEpochs = 0, Seed = 2,
        };
        var data = SyntheticData.Blobs(600, 20, 3, seed: 3, spread: 0.7);

        var result = await Train(options, data);

        Assert.Single(result.Model.Layers);
        Assert.True(result.Record.BestValidationAccuracy > 0.95, $"accuracy {result.Record.BestValidationAccuracy}");
    }

    [Fact]
    public async Task Early_stopping_restores_the_best_epochs_weights()
    {
        // Random labels: the network can only memorize, so validation loss rises after the first epochs.
        var options = new TrainingOptions
        {
            HiddenLayers = [256], Dropout = 0, LearningRate = 1e-2, WeightDecay = 0, WarmupEpochs = 0,
            BatchSize = 20, MaxEpochs = 60, EarlyStoppingPatience = 3, ValidationFraction = 0.3, Seed = 1,
        };
        var data = SyntheticData.RandomLabels(300, 30, 3, seed: 8);
        var split = DataSplitter.Split(data, options.ValidationFraction, options.Seed);

        var result = await new Trainer(options, new ExecutionOptions { DegreeOfParallelism = 2 }).TrainAsync(split.Train, split.Validation);

        var record = result.Record;
        Assert.Equal(StopReason.EarlyStopped, record.StopReason);
        Assert.Equal(record.BestEpoch + options.EarlyStoppingPatience, record.EpochsRun);
        Assert.True(record.LearningCurve[^1].ValidationLoss > record.BestValidationLoss);
        using var pool = new WorkerPool(1);
        var (restoredLoss, _) = new MlpPredictor(result.Model, new MatrixMultiplier(pool)).LossAndAccuracy(split.Validation);
        Assert.Equal(record.BestValidationLoss, restoredLoss);
        Assert.Equal(record.LearningCurve.Min(p => p.ValidationLoss), restoredLoss);
    }

    [Fact]
    public async Task Cancellation_stops_training()
    {
        using var cancellation = new CancellationTokenSource();
        var split = DataSplitter.Split(Blobs, 0.1, 5);
        var batches = new CancelAfter(cancellation, batches: 3);

        var training = new Trainer(SmallMlp with { MaxEpochs = 50 }).TrainAsync(split.Train, split.Validation, batchProgress: batches, cancellationToken: cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => training);
        Assert.Equal(3, batches.Seen);
    }

    private sealed class CancelAfter(CancellationTokenSource source, int batches) : IProgress<BatchProgress>
    {
        public int Seen { get; private set; }

        public void Report(BatchProgress value)
        {
            if (++Seen == batches) source.Cancel();
        }
    }

    [Fact]
    public void Invalid_options_name_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new Trainer(new TrainingOptions { BatchSize = 0 }));
        Assert.Equal("TrainingOptions.BatchSize must be positive, got 0. (Parameter 'BatchSize')", error.Message);
        Assert.Throws<ArgumentException>(() => new Trainer(new TrainingOptions { HiddenLayers = [10, 0] }));
    }

    [Fact]
    public async Task Mismatched_validation_set_is_rejected()
    {
        var other = SyntheticData.Blobs(10, 7, 4, seed: 1);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new Trainer(SmallMlp).TrainAsync(Blobs, other));
        Assert.Contains("Validation samples have 7 features, training samples 250", error.Message);
    }

    [Fact]
    public async Task Normalization_is_fitted_on_the_training_split_and_guards_constant_features()
    {
        var features = new float[] { 1, 5, 3, 5, 5, 5, 7, 5 }; // feature 0 varies, feature 1 is constant
        var data = new DataSet(features, [0, 1, 0, 1], 2, ["a", "b"]);
        var options = new TrainingOptions { HiddenLayers = [], MaxEpochs = 1, BatchSize = 2, MinimumFeatureStd = 0.5 };

        var result = await new Trainer(options).TrainAsync(data, data);

        Assert.Equal([4f, 5f], result.Model.Normalizer.Mean);
        Assert.Equal(1f / MathF.Sqrt(5f), result.Model.Normalizer.InverseStd[0], 6);
        Assert.Equal(2f, result.Model.Normalizer.InverseStd[1]);
    }
}
