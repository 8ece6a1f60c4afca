using Pipeline.Gates;
using Pipeline.ModelRegistry;
using Pipeline.OnnxRuntime;
using Pipeline.Stages;
using TestSupport;
using Training;
using Training.Data;

namespace Pipeline.Stages.Tests;

/// <summary>
/// Runs the real stages once, in order, on a small slice of the real Fashion-MNIST data (6,000 training and
/// 1,000 test images written as IDX files), with a small MLP so the whole chain takes seconds.
/// </summary>
public sealed class PipelineRunFixture : IAsyncLifetime
{
    public const int TrainImages = 6000;
    public const int TestImages = 1000;

    public TemporaryDirectory Directory { get; } = new();
    public TestLog Log { get; } = new();
    public OrtEnvironment Ort { get; private set; } = null!;
    public string DataDirectory => Directory.File("data");

    /// <summary>The Fashion-MNIST model with this fixture's data, as the stages take it.</summary>
    public ModelSource Data => ModelSource.FashionMnist(DataDirectory);
    public string TrainDirectory => Directory.File("train");
    public string ModelDirectory => Directory.File("model");
    public string RegistryDirectory => Directory.File("registry");
    public TrainStageResult Trained { get; private set; } = null!;
    public ExportStageResult Exported { get; private set; } = null!;
    public QuantizeStageResult Quantized { get; private set; } = null!;

    /// <summary>The serving image, built on first use by the tests that need a container.</summary>
    public ContainerImageFixture Container { get; private set; } = null!;

    /// <summary>Serving images of several registered model versions for the deploy tests, built on first use.</summary>
    public DeployVersionsFixture DeployVersions { get; private set; } = null!;

    public static EvaluationOptions FastEvaluation { get; } = new() { WarmupRuns = 5, LatencyRuns = 50, ThroughputRuns = 10 };

    public async Task InitializeAsync()
    {
        Ort = new OrtEnvironment();
        Container = new ContainerImageFixture(this);
        DeployVersions = new DeployVersionsFixture(this);
        await WriteDataSliceAsync();

        var options = new TrainingOptions { HiddenLayers = [64], MaxEpochs = 3, Seed = 7, WarmupEpochs = 0 };
        Trained = await new TrainStage(Log.Add).RunAsync(
            new TrainStageRequest(DataDirectory, TrainDirectory, options, new ExecutionOptions { DegreeOfParallelism = 2 }), CancellationToken.None);
        Exported = await new ExportStage(Ort, Log.Add).RunAsync(new ExportStageRequest(
            Trained.ModelPath, DataDirectory, Path.Combine(ModelDirectory, "model.onnx"), "fashion-mnist", "1.0.0+test",
            "0123456789abcdef", DateTimeOffset.UnixEpoch, 2), CancellationToken.None);
        Quantized = await new QuantizeStage(Ort, Log.Add, FastEvaluation).RunAsync(new QuantizeStageRequest(
            Exported.OnnxPath, DataDirectory, ModelDirectory, QuantizationVariant.DynamicPerChannel, 500), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await DeployVersions.DisposeAsync();
        await Container.DisposeAsync();
        Directory.Dispose();
    }

    public IReadOnlyList<ModelCandidate> Candidates() =>
    [
        new("fp32", Exported.OnnxPath, CandidateKind.Fp32),
        .. Enum.GetValues<QuantizationVariant>().Select(v => new ModelCandidate(
            QuantizationVariants.CandidateName(v), Path.Combine(ModelDirectory, QuantizationVariants.FileName(v)), CandidateKind.Quantized)),
    ];

    public ValidateStageRequest ValidateRequest(GateThresholds thresholds, string outputDirectory, string environment = "local") =>
        new(Candidates(), Trained.ModelPath, Data, thresholds, environment, outputDirectory, "fashion-mnist", "0123456789abcdef");

    public FileSystemModelRegistry OpenRegistry() => new(RegistryDirectory, TimeProvider.System);

    private async Task WriteDataSliceAsync()
    {
        var source = FashionMnist.ResolveDirectory(null);
        System.IO.Directory.CreateDirectory(DataDirectory);
        await CopySliceAsync(source, "train", TrainImages);
        await CopySliceAsync(source, "t10k", TestImages);
    }

    private async Task CopySliceAsync(string source, string prefix, int count)
    {
        var images = await IdxReader.ReadImagesAsync(FindFile(source, $"{prefix}-images-idx3-ubyte"));
        var labels = await IdxReader.ReadLabelsAsync(FindFile(source, $"{prefix}-labels-idx1-ubyte"));
        await IdxWriter.WriteImagesAsync(Path.Combine(DataDirectory, $"{prefix}-images-idx3-ubyte"), count, images.Rows, images.Columns,
            images.Pixels.AsMemory(0, count * images.Rows * images.Columns));
        await IdxWriter.WriteLabelsAsync(Path.Combine(DataDirectory, $"{prefix}-labels-idx1-ubyte"), labels.Labels.AsMemory(0, count));
    }

    private static string FindFile(string directory, string baseName)
    {
        foreach (var candidate in new[] { baseName + ".gz", baseName })
            if (File.Exists(Path.Combine(directory, candidate)))
                return Path.Combine(directory, candidate);
        throw new FileNotFoundException($"{baseName}(.gz) not found in {directory}: {FashionMnist.SetupHint}.");
    }
}

[CollectionDefinition(Name)]
public sealed class PipelineRunCollection : ICollectionFixture<PipelineRunFixture>
{
    public const string Name = "pipeline run";
}
