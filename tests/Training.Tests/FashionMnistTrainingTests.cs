using Training.Compute;
using Training.Data;
using Training.Models;
using Training.Tests.Support;

namespace Training.Tests;

[Collection(FashionMnistCollection.Name)]
public sealed class FashionMnistTrainingTests(FashionMnistFixture fixture)
{
    [Fact]
    public async Task Two_epochs_on_5000_real_images_beat_70_percent_on_the_test_set()
    {
        var data = await fixture.LoadAsync();
        var options = new TrainingOptions { MaxEpochs = 2 };
        var split = DataSplitter.Split(data.Train.Take(5000), options.ValidationFraction, options.Seed);

        var result = await new Trainer(options).TrainAsync(split.Train, split.Validation);

        using var pool = new WorkerPool(2);
        var (_, accuracy) = new MlpPredictor(result.Model, new MatrixMultiplier(pool)).LossAndAccuracy(data.Test);
        Assert.True(accuracy > 0.70, $"test accuracy {accuracy:P2}");
        Assert.Equal("784-256-128-10", result.Record.Architecture);
        Assert.Equal(data.Train.Sources, result.Record.Inputs);
    }
}
