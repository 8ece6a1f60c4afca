using Training.Compression;
using Training.Models;
using Training.Tests.Support;

namespace Training.Tests.Compression;

public sealed class MagnitudePrunerTests
{
    /// <summary>Twelve weights; five tie at |w| = 0.3 (two in layer 1), so cuts can fall inside the tie.</summary>
    private static MlpModel TiedModel() => new(
        new FeatureNormalizer([0, 0], [1, 1]),
        [
            new DenseLayer(2, 3, [0.5f, -0.1f, 0.3f, 0.3f, -0.3f, 0.9f], [1, 2, 3], Activation.Relu),
            new DenseLayer(3, 2, [0.3f, -0.2f, 0.05f, 1.0f, -0.3f, 0.7f], [4, 5], Activation.None),
        ],
        ["a", "b"]);

    private static int[] PrunedIndices(WeightMask mask, int layer) =>
        Enumerable.Range(0, mask.WeightCount(layer)).Where(i => mask.IsPruned(layer, i)).ToArray();

    [Fact]
    public void Global_cut_inside_a_tie_prunes_exactly_k_taking_tied_weights_in_layer_then_index_order()
    {
        var selection = MagnitudePruner.Select(TiedModel(), 0.5);

        // k = 6: 0.05, 0.1, 0.2, then three of the five 0.3s: those in layer 0 come first.
        Assert.Equal(6, selection.Mask.TotalPruned);
        Assert.Equal([1, 2, 3, 4], PrunedIndices(selection.Mask, 0));
        Assert.Equal([1, 2], PrunedIndices(selection.Mask, 1));
        Assert.Equal([0.3f, 0.3f], selection.Thresholds);
        Assert.Equal(0.5, selection.Mask.Sparsity);
    }

    [Fact]
    public void A_cut_below_the_tie_prunes_exactly_the_weights_under_theta()
    {
        var selection = MagnitudePruner.Select(TiedModel(), 0.25);

        Assert.Equal([1], PrunedIndices(selection.Mask, 0));
        Assert.Equal([1, 2], PrunedIndices(selection.Mask, 1));
        Assert.Equal(0.3f, selection.Thresholds[0]);
    }

    [Theory]
    [InlineData(0.3, 4)]   // 3.6 rounds to 4
    [InlineData(0.625, 8)] // 7.5: midpoint rounds away from zero
    [InlineData(0.0, 0)]
    [InlineData(1.0, 12)]
    public void The_count_is_sparsity_times_weights_rounded(double sparsity, int expected)
    {
        var selection = MagnitudePruner.Select(TiedModel(), sparsity);

        Assert.Equal(expected, selection.Mask.TotalPruned);
        if (expected == 12) Assert.Equal(float.PositiveInfinity, selection.Thresholds[0]);
        if (expected == 0) Assert.Equal(0.05f, selection.Thresholds[0]);
    }

    [Fact]
    public void Per_layer_scope_prunes_each_layer_to_the_target_with_its_own_threshold()
    {
        var selection = MagnitudePruner.Select(TiedModel(), 0.5, PruningScope.PerLayer);

        Assert.Equal([1, 2, 3], PrunedIndices(selection.Mask, 0));
        Assert.Equal([0, 1, 2], PrunedIndices(selection.Mask, 1));
        Assert.Equal([0.3f, 0.3f], selection.Thresholds);
    }

    [Theory]
    [InlineData(PruningScope.Global)]
    [InlineData(PruningScope.PerLayer)]
    public void On_random_weights_every_pruned_magnitude_is_at_most_theta_and_every_kept_one_at_least(PruningScope scope)
    {
        var model = RandomModel();
        var selection = MagnitudePruner.Select(model, 0.7, scope);

        var smallestKept = new List<float>();
        for (var l = 0; l < model.Layers.Count; l++)
        {
            var weights = model.Layers[l].Weights;
            var theta = selection.Thresholds[l];
            var pruned = Enumerable.Range(0, weights.Length).Where(i => selection.Mask.IsPruned(l, i)).Select(i => MathF.Abs(weights[i])).ToArray();
            var kept = Enumerable.Range(0, weights.Length).Where(i => !selection.Mask.IsPruned(l, i)).Select(i => MathF.Abs(weights[i])).ToArray();
            Assert.True(pruned.Max() <= theta && kept.Min() >= theta, $"layer {l}: pruned up to {pruned.Max()}, kept from {kept.Min()}, θ {theta}");
            smallestKept.Add(kept.Min());
            if (scope == PruningScope.PerLayer) Assert.Equal(Math.Round(0.7 * weights.Length, MidpointRounding.AwayFromZero), pruned.Length);
        }
        // θ is the smallest kept magnitude: of each layer, or of all layers under the global scope.
        if (scope == PruningScope.PerLayer) Assert.Equal(selection.Thresholds, smallestKept);
        else Assert.Equal(selection.Thresholds[0], smallestKept.Min());
        Assert.Equal(Math.Round(0.7 * selection.Mask.TotalWeights, MidpointRounding.AwayFromZero), selection.Mask.TotalPruned, 0);
    }

    [Fact]
    public void Applying_the_mask_writes_positive_zeros_into_a_copy_and_measures_as_the_mask()
    {
        var model = TiedModel();
        var selection = MagnitudePruner.Select(model, 0.5);

        var pruned = selection.Mask.Apply(model);

        Assert.Equal(-0.1f, model.Layers[0].Weights[1]); // the original is untouched
        Assert.Equal(0, BitConverter.SingleToInt32Bits(pruned.Layers[0].Weights[1])); // +0, not -0
        Assert.Equal(0, BitConverter.SingleToInt32Bits(pruned.Layers[0].Weights[4]));
        Assert.Equal(model.Layers[1].Bias, pruned.Layers[1].Bias);
        var report = SparsityReport.Measure(pruned);
        Assert.Equal([4, 2], report.Layers.Select(l => l.Zeros));
        Assert.Equal(0.5, report.Sparsity);
    }

    [Fact]
    public void A_mask_of_another_shape_is_rejected()
    {
        var mask = MagnitudePruner.Select(TiedModel(), 0.5).Mask;

        var error = Assert.Throws<ArgumentException>(() => mask.Apply(RandomModel()));
        Assert.Contains("build the mask from the same model", error.Message);
    }

    [Fact]
    public void Invalid_pruning_options_name_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new PruningOptions { TargetSparsity = 1.0 }.Validate());
        Assert.StartsWith("PruningOptions.TargetSparsity must be in [0, 1), got 1", error.Message);
        Assert.Throws<ArgumentException>(() => new PruningOptions { FineTuneEpochs = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => MagnitudePruner.Select(TiedModel(), -0.1));
    }

    internal static MlpModel RandomModel() => new(
        new FeatureNormalizer(new float[20], Enumerable.Repeat(1f, 20).ToArray()),
        [
            new DenseLayer(20, 30, SyntheticData.RandomMatrix(600, 1), new float[30], Activation.Relu),
            new DenseLayer(30, 4, SyntheticData.RandomMatrix(120, 2), new float[4], Activation.None),
        ],
        ["a", "b", "c", "d"]);
}
