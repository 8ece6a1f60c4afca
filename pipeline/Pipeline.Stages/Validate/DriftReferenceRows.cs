using Microsoft.ML;
using Pipeline.Drift;
using Pipeline.OnnxRuntime;
using Training.Data;
using Training.MlNet;

namespace Pipeline.Stages;

/// <summary>
/// The rows a drift baseline describes: the model's training rows, as its served inputs take them. Both sources give
/// them cheaply (Fashion-MNIST's training split; any other model's definition split), so the test rows are never used.
/// </summary>
public sealed record DriftReferenceRows(IReadOnlyList<NamedTensor> Inputs, int Count, string Source, string Description)
{
    public static async Task<DriftReferenceRows> LoadAsync(ModelSource source, CancellationToken cancellationToken)
    {
        if (source.Definition.IncludesProjectMlp)
        {
            var data = await FashionMnist.LoadAsync(source.Files.FashionMnistDirectory, cancellationToken);
            var train = data.Train;
            return new DriftReferenceRows([NamedTensor.Create("input", train.Features.ToArray(), train.Count, train.FeatureCount)],
                train.Count, DriftBaseline.TrainingRows, "Fashion-MNIST training split");
        }

        var ml = new MLContext(source.Seed);
        var loaded = await source.Definition.LoadAsync(ml, source.Files, source.Seed, cancellationToken);
        var rows = TabularTestSet.From(source.Definition, loaded.Train);
        return new DriftReferenceRows(rows.Inputs, rows.Count, DriftBaseline.TrainingRows,
            $"training split of model '{source.Name}' (seed {source.Seed})");
    }
}
