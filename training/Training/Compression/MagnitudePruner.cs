using Training.Data;
using Training.Models;

namespace Training.Compression;

/// <summary>
/// The weights to prune and the magnitude threshold θ of each layer (all equal under <see cref="PruningScope.Global"/>).
/// θ is the smallest magnitude that was kept (+∞ when a layer is pruned entirely): every weight with |w| &lt; θ is pruned.
/// </summary>
public sealed record PruningSelection(WeightMask Mask, IReadOnlyList<float> Thresholds);

/// <summary>A pruned and fine-tuned model, the mask it keeps, and how well it did before and after fine-tuning.</summary>
/// <param name="PrunedValidationAccuracy">Validation accuracy right after pruning, before fine-tuning.</param>
/// <param name="FineTuning">The fine-tuning run; its model is <see cref="Model"/>.</param>
public sealed record PruningResult(
    PruningOptions Options,
    PruningSelection Selection,
    SparsityReport Sparsity,
    double PrunedValidationAccuracy,
    TrainingResult FineTuning)
{
    public MlpModel Model => FineTuning.Model;
}

/// <summary>
/// Unstructured magnitude pruning (the smallest |w| go first), then fine-tuning with the pruned weights held at zero.
///
/// Count semantics: of N candidate weights (all layers for <see cref="PruningScope.Global"/>, else each layer on its
/// own), exactly k = round(s·N) (midpoint away from zero) are pruned. θ is the (k+1)-th smallest magnitude, so all
/// weights with |w| &lt; θ are pruned; when several weights tie at |w| = θ across the cut, the first of them in
/// (layer, row-major index) order are pruned until the count is k. The result is thereby exact and deterministic.
/// </summary>
public static class MagnitudePruner
{
    public static PruningSelection Select(MlpModel model, double sparsity, PruningScope scope = PruningScope.Global)
    {
        if (sparsity is not (>= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(sparsity), $"Sparsity must be in [0, 1], got {sparsity}.");
        var weights = model.Layers.Select(l => l.Weights).ToArray();
        var pruned = weights.Select(w => new bool[w.Length]).ToArray();
        var thresholds = new float[weights.Length];
        if (scope == PruningScope.Global)
            Array.Fill(thresholds, SelectSmallest(weights, Enumerable.Range(0, weights.Length).ToArray(), sparsity, pruned));
        else
            for (var l = 0; l < weights.Length; l++)
                thresholds[l] = SelectSmallest(weights, [l], sparsity, pruned);
        return new PruningSelection(new WeightMask(pruned), thresholds);
    }

    /// <summary>
    /// Prunes <paramref name="trained"/> to <see cref="PruningOptions.TargetSparsity"/> and fine-tunes it on
    /// <paramref name="train"/> (choosing the epoch by <paramref name="validation"/> loss) with the options it was
    /// trained with, adjusted by <see cref="PruningOptions.FineTuning"/>. Use the same train/validation split as
    /// training, or validation samples leak into the weights. <paramref name="trained"/> is not modified.
    /// </summary>
    public static async Task<PruningResult> PruneAndFineTuneAsync(MlpModel trained, TrainingOptions trainedWith, DataSet train, DataSet validation,
        PruningOptions options, ExecutionOptions? execution = null, IProgress<EpochReport>? epochProgress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        var fineTuning = options.FineTuning(trainedWith);
        var trainer = new Trainer(fineTuning, execution);
        var selection = Select(trained, options.TargetSparsity, options.Scope);
        var prunedAccuracy = ModelAccuracy.Measure(selection.Mask.Apply(trained), validation, execution);
        var result = await trainer.TrainAsync(train, validation, new TrainingSetup { InitialModel = trained, Mask = selection.Mask },
            epochProgress, cancellationToken: cancellationToken);
        return new PruningResult(options, selection, SparsityReport.Measure(result.Model), prunedAccuracy, result);
    }

    /// <summary>Marks the k smallest magnitudes among the given layers in <paramref name="pruned"/>; returns θ.</summary>
    private static float SelectSmallest(float[][] weights, int[] layers, double sparsity, bool[][] pruned)
    {
        var total = layers.Sum(l => (long)weights[l].Length);
        if (total >= 1L << 32) throw new NotSupportedException($"Pruning supports fewer than 2^32 weights at once, got {total}.");
        // Key = magnitude bits (monotone in |w| for non-negative floats), then the position: sorting gives the
        // magnitude order with ties broken by (layer, index), whatever the sort algorithm.
        var keys = new ulong[total];
        var owners = new int[total];
        long position = 0;
        foreach (var l in layers)
            foreach (var w in weights[l])
            {
                if (!float.IsFinite(w)) throw new ArgumentException($"Layer {l} holds a non-finite weight ({w}); it cannot be ranked by magnitude.", nameof(weights));
                keys[position] = ((ulong)BitConverter.SingleToUInt32Bits(MathF.Abs(w)) << 32) | (uint)position;
                owners[position++] = l;
            }
        var starts = new long[weights.Length];
        for (long start = 0, i = 0; i < layers.Length; start += weights[layers[i]].Length, i++) starts[layers[i]] = start;
        Array.Sort(keys);

        var k = (long)Math.Round(sparsity * total, MidpointRounding.AwayFromZero);
        for (long i = 0; i < k; i++)
        {
            var at = (long)(uint)keys[i];
            var layer = owners[at];
            pruned[layer][at - starts[layer]] = true;
        }
        return k < total ? BitConverter.UInt32BitsToSingle((uint)(keys[k] >> 32)) : float.PositiveInfinity;
    }
}
