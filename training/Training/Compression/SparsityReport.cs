using Training.Models;

namespace Training.Compression;

/// <summary>Zero weights of one dense layer, as measured on the model.</summary>
public sealed record LayerSparsity(int Layer, int Weights, int Zeros)
{
    public double Sparsity => Weights == 0 ? 0 : (double)Zeros / Weights;
}

/// <summary>Zero weights per layer and overall (biases are not counted: they are never pruned).</summary>
public sealed record SparsityReport(IReadOnlyList<LayerSparsity> Layers)
{
    public long Weights => Layers.Sum(l => (long)l.Weights);
    public long Zeros => Layers.Sum(l => (long)l.Zeros);
    public double Sparsity => Weights == 0 ? 0 : (double)Zeros / Weights;

    /// <summary>Counts the weights equal to zero in each layer of <paramref name="model"/>.</summary>
    public static SparsityReport Measure(MlpModel model) =>
        new(model.Layers.Select((layer, l) => new LayerSparsity(l, layer.Weights.Length, layer.Weights.Count(w => w == 0f))).ToArray());

    /// <summary>e.g. "70.0% zero (layer0 78.1%, layer1 40.2%, layer2 12.5%)".</summary>
    public string Describe() =>
        $"{Sparsity:P1} zero ({string.Join(", ", Layers.Select(l => $"layer{l.Layer} {l.Sparsity:P1}"))})";
}
