using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Training.MlNet.Tests;

/// <summary>
/// A small generated model with an int64 label whose values (3, 7, 11) are not 0-based indices, so a served label
/// that forgot to map ML.NET's 1-based key back would show. Candidates can be swapped in per test.
/// </summary>
internal sealed class SyntheticModel(params MlNetCandidate[] candidates) : IModelDefinition
{
    public static readonly long[] Classes = [3, 7, 11];

    public string Name => "synthetic";

    public string Description => "generated clusters";

    public ModelTask Task => ModelTask.MulticlassClassification;

    public string LabelColumn => "target";

    public IReadOnlyList<string> FeatureColumns { get; } = ["x", "size"];

    public IReadOnlyList<DataRequirement> Data { get; } = [];

    public IReadOnlyList<MlNetCandidate> Candidates { get; } = candidates.Length > 0 ? candidates :
    [
        new("sdca", Sdca),
        new("slow", Sdca, OptIn: true),
    ];

    public Task<ModelData> LoadAsync(MLContext ml, ModelDataFiles files, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 600).Select(i =>
        {
            var label = Classes[i % Classes.Length];
            return new Row
            {
                X = [label + (float)random.NextDouble() * 4 - 2, (float)random.NextDouble()],
                Size = label * 10 + (float)random.NextDouble() * 30,
                Target = label,
            };
        }).ToList();
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), 0.25, seed: seed);
        return System.Threading.Tasks.Task.FromResult(new ModelData(split.TrainSet, split.TestSet, []));
    }

    public static IEstimator<ITransformer> Sdca(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey(MlNetCandidate.KeyLabelColumn, "target")
            .Append(ml.Transforms.Concatenate("Features", "x", "size"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = MlNetCandidate.KeyLabelColumn,
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 30,
            }));

    /// <summary>One generated row.</summary>
    internal sealed class Row
    {
        [ColumnName("x"), VectorType(2)] public float[] X { get; set; } = [];
        [ColumnName("size")] public float Size { get; set; }
        [ColumnName("target")] public long Target { get; set; }
    }
}
