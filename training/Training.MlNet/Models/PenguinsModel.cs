using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace Training.MlNet.Models;

/// <summary>Palmer penguins: the species (Adelie, Chinstrap, Gentoo) from island, bill, flipper, body mass and sex.</summary>
public sealed class PenguinsModel : IModelDefinition
{
    private static readonly DataRequirement PenguinsCsvFile =
        new("r-cran-palmerpenguins", "usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv");

    private static readonly string[] Measurements = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
    private static readonly string[] Categories = ["island", "sex"];

    /// <summary>The share of rows held out for testing.</summary>
    public const double TestFraction = 0.25;

    public string Name => "penguins";

    public string Description => "Palmer penguins species from island, bill, flipper, body mass and sex (tabular, 344 rows)";

    public ModelTask Task => ModelTask.MulticlassClassification;

    public string LabelColumn => "species";

    public IReadOnlyList<string> FeatureColumns { get; } = ["island", .. Measurements, "sex"];

    public IReadOnlyList<DataRequirement> Data { get; } = [PenguinsCsvFile];

    public async Task<ModelData> LoadAsync(MLContext ml, ModelDataFiles files, int seed, CancellationToken cancellationToken)
    {
        var path = files.Resolve(PenguinsCsvFile);
        var rows = await PenguinsCsv.ReadAsync(path, cancellationToken);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), TestFraction, seed: seed);
        // Cached so that every pass (training, evaluation, the parity check) sees the same rows without re-reading.
        return new ModelData(ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet), [path]);
    }

    public IReadOnlyList<MlNetCandidate> Candidates { get; } =
    [
        new("sdca-maxent", ml => Featurize(ml).Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
            new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = KeyLabel,
                FeatureColumnName = Features,
                // One thread: SDCA's parallel updates make the result depend on thread timing, not just the seed.
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 100,
            }))),
        new("lightgbm", ml => Featurize(ml).Append(ml.MulticlassClassification.Trainers.LightGbm(
            new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = KeyLabel,
                FeatureColumnName = Features,
                // 258 training rows: small trees and few rounds, or it memorizes them.
                NumberOfIterations = 50,
                NumberOfLeaves = 8,
                MinimumExampleCountPerLeaf = 5,
                LearningRate = 0.2,
                NumberOfThreads = 1,
            }))),
        new("fasttree-ova", ml => Featurize(ml).Append(ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
            {
                LabelColumnName = KeyLabel,
                FeatureColumnName = Features,
                NumberOfTrees = 30,
                NumberOfLeaves = 8,
                MinimumExampleCountPerLeaf = 5,
                NumberOfThreads = 1,
            }), labelColumnName: KeyLabel))),
    ];

    private const string KeyLabel = MlNetCandidate.KeyLabelColumn;
    internal const string Features = "Features";

    /// <summary>Source columns to one normalized feature vector, and the species to a key (sorted, so class order is alphabetical).</summary>
    private static IEstimator<ITransformer> Featurize(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey(KeyLabel, "species", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            // A missing measurement becomes the training mean (the converter exports this as an Imputer).
            .Append(ml.Transforms.ReplaceMissingValues(
                Measurements.Select(m => new InputOutputColumnPair(m + ".filled", m)).ToArray(),
                MissingValueReplacingEstimator.ReplacementMode.Mean))
            // An island never seen in training maps to the missing key: all-zero one-hot, in ML.NET and in ONNX alike.
            .Append(ml.Transforms.Categorical.OneHotEncoding(
                Categories.Select(c => new InputOutputColumnPair(c + ".onehot", c)).ToArray()))
            .Append(ml.Transforms.Concatenate(Features,
                [.. Categories.Select(c => c + ".onehot"), .. Measurements.Select(m => m + ".filled")]))
            .Append(ml.Transforms.NormalizeMinMax(Features));
}
