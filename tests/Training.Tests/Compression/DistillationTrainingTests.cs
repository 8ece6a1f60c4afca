using Training.Compression;
using Training.Data;
using Training.Models;
using Training.Tests.Support;

namespace Training.Tests.Compression;

/// <summary>Distillation through the trainer, on small synthetic data.</summary>
public sealed class DistillationTrainingTests
{
    private static readonly DataSet Blobs = SyntheticData.Blobs(900, 40, 4, seed: 4, spread: 3.0);
    private static readonly TrainValidationSplit Split = DataSplitter.Split(Blobs, 0.1, 5);
    private static readonly TrainingOptions Options = new()
    {
        HiddenLayers = [48], BatchSize = 50, MaxEpochs = 3, WarmupEpochs = 0, LearningRate = 3e-3, Seed = 2,
    };

    [Fact]
    public async Task With_alpha_1_T_1_and_one_hot_teacher_targets_it_is_label_training_bit_for_bit()
    {
        // Then ∂L/∂z = softmax(z) − onehot(y), the label gradient, so the weights match only if every batch
        // gathers the soft targets of its own shuffled samples.
        var train = Split.Train;
        var oneHot = new float[train.Count * train.ClassCount];
        for (var i = 0; i < train.Count; i++) oneHot[i * train.ClassCount + train.Labels[i]] = 1f;
        var targets = new DistillationTargets(oneHot, train.Count, train.ClassCount, new DistillationLoss(temperature: 1, alpha: 1));

        var distilled = await new Trainer(Options).TrainAsync(train, Split.Validation, new TrainingSetup { Distillation = targets });
        var labelled = await new Trainer(Options).TrainAsync(train, Split.Validation);

        Assert.Equal(MaskedFineTuningTests.WeightBits(labelled.Model), MaskedFineTuningTests.WeightBits(distilled.Model));
    }

    [Fact]
    public async Task Distillation_is_deterministic_for_any_thread_count()
    {
        var teacher = (await new Trainer(Options with { HiddenLayers = [64, 32] }).TrainAsync(Split.Train, Split.Validation)).Model;
        var options = new DistillationOptions { StudentHiddenLayers = [16], Epochs = 3 };

        var first = await Distiller.DistillAsync(teacher, Options, Split.Train, Split.Validation, options, new ExecutionOptions { DegreeOfParallelism = 1 });
        var again = await Distiller.DistillAsync(teacher, Options, Split.Train, Split.Validation, options, new ExecutionOptions { DegreeOfParallelism = 3 });

        Assert.Equal(MaskedFineTuningTests.WeightBits(first.Student), MaskedFineTuningTests.WeightBits(again.Student));
        Assert.Equal("40-16-4", first.Training.Record.Architecture);
    }

    [Fact]
    public void Teacher_soft_targets_are_its_logits_softened_by_T_and_sum_to_one()
    {
        var teacher = MagnitudePrunerTests.RandomModel();
        var blobs = SyntheticData.Blobs(7, 20, 4, seed: 6);
        var data = new DataSet(blobs.Features.ToArray(), blobs.Labels.ToArray(), 20, teacher.ClassNames);
        var loss = new DistillationLoss(temperature: 3);

        var soft = DistillationTargets.FromTeacher(teacher, data, loss).SoftTargets.ToArray();

        var probabilities = teacher.PredictProbabilities(data.Features);
        for (var s = 0; s < data.Count; s++)
        {
            var row = soft.AsSpan(s * 4, 4).ToArray();
            Assert.Equal(1.0, row.Sum(), 5);
            // softmax(z/T) ∝ p^(1/T): the same distribution computed the other way round.
            var expected = probabilities.AsSpan(s * 4, 4).ToArray().Select(p => Math.Pow(p, 1 / 3.0)).ToArray();
            for (var c = 0; c < 4; c++) Assert.Equal(expected[c] / expected.Sum(), row[c], 4);
        }
    }

    [Fact]
    public void Invalid_distillation_options_name_the_setting()
    {
        Assert.StartsWith("DistillationOptions.StudentHiddenLayers widths must be positive",
            Assert.Throws<ArgumentException>(() => new DistillationOptions { StudentHiddenLayers = [0] }.Validate()).Message);
        Assert.StartsWith("DistillationOptions.Alpha must be in [0, 1]",
            Assert.Throws<ArgumentException>(() => new DistillationOptions { Alpha = 2 }.Validate()).Message);
        Assert.Throws<ArgumentException>(() => new DistillationOptions { Epochs = 0 }.Validate());
    }
}
