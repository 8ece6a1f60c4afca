using Pipeline.Drift;

namespace Pipeline.Drift.Tests;

/// <summary>The bin rule the server and the baseline builder share.</summary>
public sealed class DriftBinningTests
{
    private static readonly double[] Edges = [1, 2, 2, 3];

    [Theory]
    [InlineData(-100, 0)]
    [InlineData(0.999, 0)]
    [InlineData(1, 1)]
    [InlineData(1.5, 1)]
    [InlineData(2, 3)] // ties go up: an edge is the lower bound of its bin, so the empty bin between equal edges stays empty
    [InlineData(2.9, 3)]
    [InlineData(3, 4)]
    [InlineData(1e9, 4)]
    public void NumericBin_counts_edges_at_or_below_the_value(double value, int bin) =>
        Assert.Equal(bin, DriftBinning.NumericBin(Edges, value));

    [Fact]
    public void NumericBin_of_NaN_is_no_bin() => Assert.Equal(-1, DriftBinning.NumericBin(Edges, double.NaN));

    [Fact]
    public void RowMean_leaves_missing_values_out()
    {
        Assert.Equal(2.0, DriftBinning.RowMean([1f, float.NaN, 3f]));
        Assert.True(double.IsNaN(DriftBinning.RowMean([double.NaN, double.NaN])));
        Assert.Equal(2.5, DriftBinning.RowMean([2L, 3L]));
        Assert.Equal(-0.5, DriftBinning.RowMean([-1, 0]));
    }
}
