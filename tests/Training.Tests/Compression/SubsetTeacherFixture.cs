using Training.Data;
using Training.Tests.Support;

namespace Training.Tests.Compression;

/// <summary>
/// A teacher trained once for the compression tests on real data: the default 784-256-128-10 MLP, 3 epochs on
/// 5,000 Fashion-MNIST training images (4,500 train / 500 validation), measured on the first 5,000 test images.
/// </summary>
public sealed class SubsetTeacherFixture : IAsyncLifetime
{
    public TrainingOptions Options { get; } = new() { MaxEpochs = 3 };
    public TrainValidationSplit Split { get; private set; } = null!;
    public DataSet Test { get; private set; } = null!;
    public TrainingResult Teacher { get; private set; } = null!;
    public double TeacherAccuracy { get; private set; }

    public async Task InitializeAsync()
    {
        var data = await new FashionMnistFixture().LoadAsync();
        Split = DataSplitter.Split(data.Train.Take(5000), Options.ValidationFraction, Options.Seed, Options.StratifiedSplit);
        Test = data.Test.Take(5000);
        Teacher = await new Trainer(Options).TrainAsync(Split.Train, Split.Validation);
        TeacherAccuracy = Teacher.Model.Accuracy(Test);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
