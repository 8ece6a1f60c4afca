using Training.Export;
using Training.Models;

namespace Training.Export.Tests;

/// <summary>Seeded random models of Fashion-MNIST's shape, and metadata to export them with.</summary>
internal static class SampleMlp
{
    public const int Features = 784;

    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>A model with one layer per consecutive pair of sizes; ReLU between layers, logits last.</summary>
    public static MlpModel Create(int seed, params int[] hiddenSizes) =>
        Create(seed, lastActivation: Activation.None, hiddenSizes);

    public static MlpModel Create(int seed, Activation lastActivation, params int[] hiddenSizes)
    {
        var random = new Random(seed);
        int[] sizes = [Features, .. hiddenSizes, ClassNames.Length];
        var layers = new List<DenseLayer>();
        for (var i = 0; i + 1 < sizes.Length; i++)
        {
            var activation = i + 2 == sizes.Length ? lastActivation : Activation.Relu;
            layers.Add(new DenseLayer(sizes[i], sizes[i + 1], Values(random, sizes[i] * sizes[i + 1], 0.1), Values(random, sizes[i + 1], 0.5), activation));
        }
        var mean = Values(random, Features, 128).Select(Math.Abs).ToArray();
        var inverseStd = Values(random, Features, 0.05).Select(v => Math.Abs(v) + 1e-3f).ToArray();
        return new MlpModel(new FeatureNormalizer(mean, inverseStd), layers, ClassNames);
    }

    public static OnnxExportMetadata Metadata() => new(
        ModelName: "fashion-mnist-mlp",
        ModelVersion: "1.2.0",
        SourceRevision: "0123456789abcdef0123456789abcdef01234567",
        DataHashes: new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = new string('A', 64),
            ["train-labels-idx1-ubyte.gz"] = new string('1', 64),
        },
        Parameters: new Dictionary<string, string> { ["learning_rate"] = "0.001", ["epochs"] = "12", ["seed"] = "42" },
        Metrics: new Dictionary<string, double> { ["accuracy"] = 0.8875, ["macro_f1"] = 0.8861 },
        CreatedUtc: new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.FromHours(2)));

    private static float[] Values(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
}
