namespace Pipeline.Gates.Tests;

public sealed class PercentilesTests
{
    [Theory]
    // The nearest-rank worked example: 15, 20, 35, 40, 50.
    [InlineData(5, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    [InlineData(0, 15)]
    public void Nearest_rank_returns_the_sample_at_rank_ceil_p_times_n(double percentile, double expected)
    {
        Assert.Equal(expected, Percentiles.NearestRank([15, 20, 35, 40, 50], percentile));
    }

    [Fact]
    public void P99_of_a_thousand_samples_is_the_990th_without_rounding_drift()
    {
        var samples = Enumerable.Range(1, 1000).Select(i => (double)i).ToArray();

        Assert.Equal(990, Percentiles.NearestRank(samples, 99));
        Assert.Equal(500, Percentiles.NearestRank(samples, 50));
        Assert.Equal(999, Percentiles.NearestRank(samples, 99.9));
    }

    [Fact]
    public void Statistics_sort_the_samples_themselves()
    {
        var statistics = LatencyStatistics.FromSamples(1, [5.0, 1.0, 4.0, 2.0, 3.0]);

        Assert.Equal(new LatencyStatistics(1, 5, 3.0, 5.0, 1.0, 5.0, 3.0), statistics);
    }

    [Fact]
    public void No_samples_or_a_percentile_outside_0_to_100_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1.0], 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1.0], double.NaN));
        Assert.Throws<ArgumentException>(() => LatencyStatistics.FromSamples(1, []));
    }
}
