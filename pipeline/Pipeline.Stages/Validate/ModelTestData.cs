using System.Security.Cryptography;
using Microsoft.ML;
using Pipeline.Gates;
using Training.Data;
using Training.MlNet;

namespace Pipeline.Stages;

/// <summary>
/// The held-out rows of the model being shipped, as its served inputs take them, with the SHA-256 of every data file
/// for the lineage. Fashion-MNIST's come from its official test split (the MLP family's pixels in one input);
/// any other model's from its definition's split, one tensor per input column.
/// </summary>
public sealed record ModelTestData(LabelledTestSet TestSet, IReadOnlyDictionary<string, string> DataHashes)
{
    public static async Task<ModelTestData> LoadAsync(ModelSource source, CancellationToken cancellationToken)
    {
        if (source.Definition.IncludesProjectMlp)
        {
            var data = await FashionMnist.LoadAsync(source.Files.FashionMnistDirectory, cancellationToken);
            return new ModelTestData(
                new LabelledTestSet(data.Test.Features.ToArray(), data.Test.Labels.ToArray(), data.Test.FeatureCount),
                data.Files.ToDictionary(f => Path.GetFileName(f.Path), f => f.Sha256));
        }

        var ml = new MLContext(source.Seed);
        var loaded = await source.Definition.LoadAsync(ml, source.Files, source.Seed, cancellationToken);
        // The gates compare label values; each candidate maps them to its own probability columns.
        var rows = TabularTestSet.From(source.Definition, loaded.Test);
        return new ModelTestData(new LabelledTestSet(rows.Inputs, rows.LabelValues), await HashFilesAsync(loaded.SourceFiles, cancellationToken));
    }

    /// <summary>File name → lowercase hex SHA-256 of each data file, for the lineage in the registry and the ONNX metadata.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> HashFilesAsync(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<string, string>();
        foreach (var file in files)
        {
            await using var stream = File.OpenRead(file);
            hashes[Path.GetFileName(file)] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        return hashes;
    }
}
