using Pipeline.Drift;

namespace Pipeline.Drift.Tests;

/// <summary>Quantile edges, fractions and sampling of the baseline builder.</summary>
public sealed class DriftBaselineBuilderTests
{
    [Fact]
    public void InputMean_edges_are_the_deciles_and_each_bin_holds_a_tenth()
    {
        var values = Enumerable.Range(0, 1000).Select(i => (double)i).Reverse().ToArray();
        var q = DriftBaselineBuilder.InputMean("x", values);
        Assert.Equal("input:x:mean", q.Name);
        Assert.Equal([100, 200, 300, 400, 500, 600, 700, 800, 900], q.Edges);
        Assert.Equal(10, q.BinCount);
        Assert.All(q.Fractions, f => Assert.Equal(0.1, f, 12));
    }

    [Fact]
    public void InputMean_fractions_sum_to_one_with_ties_and_missing_rows()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 777).Select(_ => random.Next(5) == 0 ? double.NaN : Math.Round(random.NextDouble() * 4)).ToArray();
        var q = DriftBaselineBuilder.InputMean("x", values);
        Assert.Equal(1.0, q.Fractions.Sum(), 12);
        Assert.Equal(9, q.Edges.Count);
        Assert.True(q.Edges.Zip(q.Edges.Skip(1)).All(p => p.First <= p.Second));
        // The fractions are exactly what the shared binning counts.
        var finite = values.Where(double.IsFinite).ToArray();
        for (var b = 0; b < 10; b++)
            Assert.Equal(finite.Count(v => DriftBinning.NumericBin(q.Edges, v) == b) / (double)finite.Length, q.Fractions[b], 12);
        Assert.Empty(new DriftBaseline("m", "1", DriftBaseline.TestRows, 777, [], [q]).Problems());
    }

    [Fact]
    public void InputMean_without_finite_values_says_what_is_wrong()
    {
        var e = Assert.Throws<ArgumentException>(() => DriftBaselineBuilder.InputMean("bill", [double.NaN]));
        Assert.Contains("'bill'", e.Message);
    }

    [Fact]
    public void PredictedClass_counts_each_label_in_class_names_order()
    {
        var q = DriftBaselineBuilder.PredictedClass(["a", "b", "c"], ["c", "c", "a", "c"]);
        Assert.Equal(["a", "b", "c"], q.Labels);
        Assert.Equal([0.25, 0, 0.75], q.Fractions);
        var e = Assert.Throws<ArgumentException>(() => DriftBaselineBuilder.PredictedClass(["a"], ["z"]));
        Assert.Contains("'z'", e.Message);
    }

    [Fact]
    public void SampleRows_is_deterministic_for_a_seed_and_distinct()
    {
        var first = DriftBaselineBuilder.SampleRows(60000, 5000, seed: 15);
        Assert.Equal(first, DriftBaselineBuilder.SampleRows(60000, 5000, seed: 15));
        Assert.NotEqual(first, DriftBaselineBuilder.SampleRows(60000, 5000, seed: 16));
        Assert.Equal(5000, first.Distinct().Count());
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal(Enumerable.Range(0, 10), DriftBaselineBuilder.SampleRows(10, 5000, seed: 15));
    }
}
