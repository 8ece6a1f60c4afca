using Training.Compression;
using Training.Data;
using Training.Models;
using Training.Tests.Support;

namespace Training.Tests.Compression;

/// <summary>Warm starts and weight masks in the trainer, on small synthetic data.</summary>
public sealed class MaskedFineTuningTests
{
    private static readonly DataSet Blobs = SyntheticData.Blobs(900, 40, 4, seed: 3, spread: 3.0);
    private static readonly TrainValidationSplit Split = DataSplitter.Split(Blobs, 0.1, 5);

    private static TrainingOptions Options(OptimizerKind optimizer = OptimizerKind.Adam) => new()
    {
        HiddenLayers = [48, 24], Optimizer = optimizer, BatchSize = 50, MaxEpochs = 2, WarmupEpochs = 0,
        LearningRate = optimizer == OptimizerKind.Sgd ? 0.05 : 3e-3, Seed = 9,
    };

    private static async Task<MlpModel> Trained(TrainingOptions options) =>
        (await new Trainer(options).TrainAsync(Split.Train, Split.Validation)).Model;

    private static IEnumerable<(int Layer, int Index)> Positions(WeightMask mask, bool pruned) =>
        Enumerable.Range(0, mask.LayerCount).SelectMany(l => Enumerable.Range(0, mask.WeightCount(l))
            .Where(i => mask.IsPruned(l, i) == pruned).Select(i => (l, i)));

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    public async Task Pruned_weights_stay_positive_zero_through_fine_tuning_although_their_gradients_and_optimizer_state_are_not_zero(OptimizerKind optimizer)
    {
        var options = Options(optimizer);
        var trained = await Trained(options);
        var mask = MagnitudePruner.Select(trained, 0.6).Mask;
        var trainer = new Trainer(options with { MaxEpochs = 3 });

        var masked = await trainer.TrainAsync(Split.Train, Split.Validation, new TrainingSetup { InitialModel = trained, Mask = mask });
        var unmasked = await trainer.TrainAsync(Split.Train, Split.Validation, new TrainingSetup { InitialModel = mask.Apply(trained) });

        var pruned = Positions(mask, pruned: true).ToArray();
        Assert.All(pruned, p => Assert.Equal(0, BitConverter.SingleToInt32Bits(masked.Model.Layers[p.Layer].Weights[p.Index])));
        // Without the mask the same start moves most of those weights: their gradients (and so momentum and Adam
        // moments, which every step accumulates) are not zero, yet with the mask they never resurrect.
        var moved = pruned.Count(p => unmasked.Model.Layers[p.Layer].Weights[p.Index] != 0f);
        Assert.True(moved > pruned.Length * 0.9, $"{moved} of {pruned.Length} pruned weights moved without the mask");
        var changed = Positions(mask, pruned: false).Count(p => masked.Model.Layers[p.Layer].Weights[p.Index] != trained.Layers[p.Layer].Weights[p.Index]);
        Assert.True(changed > mask.TotalWeights - mask.TotalPruned - 10, $"only {changed} kept weights were trained");
    }

    [Fact]
    public async Task A_warm_start_continues_from_the_given_weights_and_leaves_them_unmodified()
    {
        var options = Options();
        var trained = await Trained(options);
        var before = WeightBits(trained);

        var barelyMoved = await new Trainer(options with { LearningRate = 1e-9, MinimumLearningRate = 0, MaxEpochs = 1 })
            .TrainAsync(Split.Train, Split.Validation, new TrainingSetup { InitialModel = trained });

        Assert.Equal(before, WeightBits(trained));
        Assert.Same(trained.Normalizer, barelyMoved.Model.Normalizer);
        var largestChange = trained.Layers.Zip(barelyMoved.Model.Layers)
            .Max(pair => pair.First.Weights.Zip(pair.Second.Weights, (a, b) => Math.Abs(a - b)).Max());
        Assert.InRange(largestChange, 0, 1e-5);
        Assert.Equal(trained.Accuracy(Split.Validation), barelyMoved.Record.BestValidationAccuracy, 3);
    }

    [Fact]
    public async Task Pruning_with_fine_tuning_is_deterministic_for_any_thread_count()
    {
        var options = Options();
        var trained = await Trained(options);
        var pruning = new PruningOptions { TargetSparsity = 0.7, FineTuneEpochs = 2 };

        var first = await MagnitudePruner.PruneAndFineTuneAsync(trained, options, Split.Train, Split.Validation, pruning, new ExecutionOptions { DegreeOfParallelism = 1 });
        var again = await MagnitudePruner.PruneAndFineTuneAsync(trained, options, Split.Train, Split.Validation, pruning, new ExecutionOptions { DegreeOfParallelism = 3 });

        Assert.Equal(WeightBits(first.Model), WeightBits(again.Model));
        Assert.Equal(0.7, first.Sparsity.Sparsity, 3);
        Assert.Equal(first.Selection.Mask.TotalPruned, first.Sparsity.Zeros);
        Assert.Equal(2, first.FineTuning.Record.EpochsRun);
    }

    [Fact]
    public async Task A_setup_that_does_not_fit_the_options_or_data_is_rejected_with_the_fix()
    {
        var options = Options();
        var trained = await Trained(options);
        var trainer = new Trainer(options with { HiddenLayers = [48] });

        var architecture = await Assert.ThrowsAsync<ArgumentException>(() =>
            trainer.TrainAsync(Split.Train, Split.Validation, new TrainingSetup { InitialModel = trained }));
        Assert.Contains("The initial model is 40-48-24-4 but the options and data make 40-48-4; set TrainingOptions.HiddenLayers", architecture.Message);

        var mask = await Assert.ThrowsAsync<ArgumentException>(() =>
            trainer.TrainAsync(Split.Train, Split.Validation, new TrainingSetup { Mask = MagnitudePruner.Select(trained, 0.5).Mask }));
        Assert.Contains("covers 3 layers but the 40-48-4 network has 2", mask.Message);

        var loss = new DistillationLoss();
        var targets = new DistillationTargets(new float[10 * 4], 10, 4, loss);
        var distillation = await Assert.ThrowsAsync<ArgumentException>(() =>
            new Trainer(options).TrainAsync(Split.Train, Split.Validation, new TrainingSetup { Distillation = targets }));
        Assert.Contains("cover 10 samples of 4 classes but the training set has 810 of 4", distillation.Message);
    }

    internal static byte[] WeightBits(MlpModel model) =>
        model.Layers.SelectMany(l => l.Weights.Concat(l.Bias)).SelectMany(BitConverter.GetBytes).ToArray();
}

internal static class ModelTestExtensions
{
    public static double Accuracy(this MlpModel model, DataSet data) =>
        model.PredictLabels(data.Features).Select((label, i) => label == data.Labels[i] ? 1 : 0).Sum() / (double)data.Count;
}
