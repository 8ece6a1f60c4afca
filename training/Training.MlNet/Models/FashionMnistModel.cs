using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using Training.Data;

namespace Training.MlNet.Models;

/// <summary>
/// Fashion-MNIST: 28×28 clothing images in 10 classes, official 60,000/10,000 split. The served contract is the
/// project MLP's (input float [N, 784] raw pixels, label int64 0..9), so either family can serve.
/// </summary>
public sealed class FashionMnistModel : IModelDefinition
{
    /// <summary>
    /// Boosting rounds: on 2 cores 100 rounds took ~100 s (89.55 %), 200 took ~4.3 min (90.14 %); see
    /// <see cref="LightGbm"/> for what keeps a round cheap.
    /// </summary>
    public const int LightGbmIterations = 60;

    public string Name => "fashion-mnist";

    public string Description => "Fashion-MNIST clothing images, 10 classes (the project MLP family and ML.NET LightGBM compete)";

    public ModelTask Task => ModelTask.MulticlassClassification;

    public string LabelColumn => "label";

    public IReadOnlyList<string> FeatureColumns { get; } = ["input"];

    // Installed by Setup as the Debian package dataset-fashion-mnist, not extracted under ModelDataFiles.Root.
    public IReadOnlyList<DataRequirement> Data { get; } = [];

    public bool IncludesProjectMlp => true;

    public async Task<ModelData> LoadAsync(MLContext ml, ModelDataFiles files, int seed, CancellationToken cancellationToken)
    {
        var directory = files.FashionMnistDirectory
            ?? FashionMnist.ResolveDirectory(Environment.GetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable));
        var data = await FashionMnist.LoadAsync(directory, cancellationToken);
        // The official split: seed is not needed (LightGBM's own randomness comes from the MLContext).
        return new ModelData(ToDataView(ml, data.Train), ToDataView(ml, data.Test), data.Files.Select(f => f.Path).ToList());
    }

    public IReadOnlyList<MlNetCandidate> Candidates { get; } = [new("lightgbm", ml => LightGbm(ml, LightGbmIterations))];

    /// <summary>LightGBM multiclass on the raw pixels; tests pass fewer rounds.</summary>
    internal static IEstimator<ITransformer> LightGbm(MLContext ml, int iterations) =>
        ml.Transforms.Conversion.MapValueToKey(MlNetCandidate.KeyLabelColumn, "label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = MlNetCandidate.KeyLabelColumn,
                FeatureColumnName = "input",
                NumberOfIterations = iterations,
                // Fewer pixel bins and a higher rate buy back most of the accuracy of more rounds at a fraction of the time.
                MaximumBinCountPerFeature = 63,
                LearningRate = 0.3,
                NumberOfLeaves = 31,
            }));

    internal static IDataView ToDataView(MLContext ml, DataSet set)
    {
        var rows = new FashionMnistRow[set.Count];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = new FashionMnistRow { Input = set.Sample(i).ToArray(), Label = set.Labels[i] };
        return ml.Data.LoadFromEnumerable(rows);
    }
}
