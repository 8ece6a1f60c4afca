using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Training.Models;

namespace Training.Compression;

/// <summary>
/// Which weights of each dense layer are pruned, i.e. held at exactly +0.0f. Biases and the normalizer are never
/// masked. Immutable once built.
/// </summary>
public sealed class WeightMask
{
    // Per weight, all ones (kept) or all zeros (pruned): AND-ing a weight's bits with it gives the weight or +0.0f
    // (multiplying by 0 would give -0.0f for negative weights, a different bit pattern in the exported file).
    private readonly uint[][] _keepBits;
    private readonly int[] _prunedCounts;

    /// <param name="pruned">Per layer, one flag per weight (row-major [in, out], as <see cref="DenseLayer.Weights"/>): true = pruned.</param>
    public WeightMask(IReadOnlyList<bool[]> pruned)
    {
        if (pruned.Count == 0) throw new ArgumentException("A weight mask needs at least one layer.", nameof(pruned));
        _keepBits = new uint[pruned.Count][];
        _prunedCounts = new int[pruned.Count];
        for (var l = 0; l < pruned.Count; l++)
        {
            var flags = pruned[l];
            var bits = _keepBits[l] = new uint[flags.Length];
            for (var i = 0; i < flags.Length; i++)
            {
                bits[i] = flags[i] ? 0u : uint.MaxValue;
                if (flags[i]) _prunedCounts[l]++;
            }
        }
        TotalWeights = _keepBits.Sum(b => (long)b.Length);
        TotalPruned = _prunedCounts.Sum(c => (long)c);
    }

    public int LayerCount => _keepBits.Length;
    public long TotalWeights { get; }
    public long TotalPruned { get; }
    /// <summary>Pruned share of all weights.</summary>
    public double Sparsity => TotalWeights == 0 ? 0 : (double)TotalPruned / TotalWeights;

    public int WeightCount(int layer) => _keepBits[layer].Length;
    public int PrunedCount(int layer) => _prunedCounts[layer];
    public bool IsPruned(int layer, int index) => _keepBits[layer][index] == 0;

    /// <summary>A copy of <paramref name="model"/> with the pruned weights set to +0 (the model is not modified).</summary>
    public MlpModel Apply(MlpModel model)
    {
        CheckFits(model.Layers.Select(l => l.Weights.Length).ToArray(), "the model");
        var layers = model.Layers.Select(l => new DenseLayer(l.InputSize, l.OutputSize, (float[])l.Weights.Clone(), (float[])l.Bias.Clone(), l.Activation)).ToArray();
        ApplyInPlace(layers.Select(l => l.Weights).ToArray());
        return new MlpModel(model.Normalizer, layers, model.ClassNames);
    }

    /// <summary>Throws unless there is one mask layer per weight array, of the same length.</summary>
    internal void CheckFits(IReadOnlyList<int> weightCounts, string what)
    {
        if (weightCounts.Count != LayerCount)
            throw new ArgumentException($"The weight mask covers {LayerCount} layers but {what} has {weightCounts.Count}; build the mask from the same model.");
        for (var l = 0; l < LayerCount; l++)
            if (weightCounts[l] != WeightCount(l))
                throw new ArgumentException($"The weight mask covers {WeightCount(l)} weights in layer {l} but {what} has {weightCounts[l]}; build the mask from the same model.");
    }

    /// <summary>Sets every pruned weight to +0; element-wise, so the result does not depend on any thread count.</summary>
    internal void ApplyInPlace(IReadOnlyList<float[]> weights)
    {
        for (var l = 0; l < LayerCount; l++)
        {
            var values = MemoryMarshal.Cast<float, uint>(weights[l].AsSpan());
            ReadOnlySpan<uint> keep = _keepBits[l];
            var i = 0;
            for (; i <= values.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                (Vector256.Create(values.Slice(i)) & Vector256.Create(keep.Slice(i))).CopyTo(values.Slice(i));
            for (; i < values.Length; i++) values[i] &= keep[i];
        }
    }
}
