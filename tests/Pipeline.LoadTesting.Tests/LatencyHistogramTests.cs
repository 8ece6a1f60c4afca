using Pipeline.LoadTesting.Histograms;

namespace Pipeline.LoadTesting.Tests;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [1, 10, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

    [Fact]
    public void Uniform_distribution_percentiles_are_within_a_tenth_of_a_percent()
    {
        var random = new Random(42);
        AssertPercentilesMatch(Enumerable.Range(0, 200_000).Select(_ => random.NextInt64(1, 60_000_000)).ToArray());
    }

    [Fact]
    public void Exponential_distribution_percentiles_are_within_a_tenth_of_a_percent()
    {
        var random = new Random(7);
        // Mean 20 ms, long tail: exercises many exponent ranges at once.
        AssertPercentilesMatch(Enumerable.Range(0, 200_000).Select(_ => 1 + (long)(-Math.Log(1 - random.NextDouble()) * 20_000)).ToArray());
    }

    [Fact]
    public void Constant_values_report_exactly()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 1000; i++) histogram.RecordMicroseconds(123_457);
        foreach (var p in Percentiles) Assert.Equal(123_457, histogram.PercentileMicroseconds(p));
        Assert.Equal(123_457, histogram.MeanMicroseconds);
        Assert.Equal(1000, histogram.Count);
    }

    [Fact]
    public void Values_up_to_an_hour_keep_precision_and_beyond_it_min_max_stay_exact()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordMicroseconds(1);
        histogram.RecordMicroseconds(3_599_999_999);
        histogram.RecordMicroseconds(10_000_000_000);
        Assert.Equal(1, histogram.PercentileMicroseconds(30));
        Assert.InRange(histogram.PercentileMicroseconds(60), 3_596_400_000, 3_603_600_000);
        Assert.Equal(10_000_000_000, histogram.MaxMicroseconds);
        Assert.Equal(1, histogram.MinMicroseconds);
    }

    [Fact]
    public void Merging_two_halves_equals_recording_everything_in_one()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 50_000).Select(_ => random.NextInt64(1, 5_000_000)).ToArray();
        var whole = new LatencyHistogram();
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        for (var i = 0; i < values.Length; i++)
        {
            whole.RecordMicroseconds(values[i]);
            (i % 2 == 0 ? first : second).RecordMicroseconds(values[i]);
        }
        first.Merge(second);
        Assert.Equal(whole.Count, first.Count);
        Assert.Equal(whole.MinMicroseconds, first.MinMicroseconds);
        Assert.Equal(whole.MaxMicroseconds, first.MaxMicroseconds);
        Assert.Equal(whole.MeanMicroseconds, first.MeanMicroseconds, 6);
        foreach (var p in Percentiles) Assert.Equal(whole.PercentileMicroseconds(p), first.PercentileMicroseconds(p));
    }

    [Fact]
    public void Merging_histograms_of_different_layouts_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LatencyHistogram(3).Merge(new LatencyHistogram(2)));
        Assert.Contains("different layouts", error.Message);
    }

    [Fact]
    public void Concurrent_recording_loses_no_counts()
    {
        var histogram = new LatencyHistogram();
        var sequential = new LatencyHistogram();
        Parallel.For(0, 8, worker =>
        {
            for (var i = 1; i <= 10_000; i++) histogram.RecordMicroseconds(i * 37);
        });
        for (var worker = 0; worker < 8; worker++)
            for (var i = 1; i <= 10_000; i++) sequential.RecordMicroseconds(i * 37);
        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(37, histogram.MinMicroseconds);
        Assert.Equal(370_000, histogram.MaxMicroseconds);
        Assert.Equal(5000.5 * 37, histogram.MeanMicroseconds, 6);
        foreach (var p in Percentiles) Assert.Equal(sequential.PercentileMicroseconds(p), histogram.PercentileMicroseconds(p));
    }

    private static void AssertPercentilesMatch(long[] values)
    {
        var histogram = new LatencyHistogram();
        foreach (var v in values) histogram.RecordMicroseconds(v);
        var sorted = values.Order().ToArray();
        foreach (var p in Percentiles)
        {
            var exact = sorted[(int)Math.Ceiling(p / 100 * sorted.Length) - 1];
            var estimate = histogram.PercentileMicroseconds(p);
            var relativeError = Math.Abs(estimate - exact) / (double)exact;
            Assert.True(relativeError <= 0.001, $"p{p}: histogram {estimate} µs vs exact {exact} µs, relative error {relativeError:P4}");
        }
        Assert.Equal(sorted[0], histogram.MinMicroseconds);
        Assert.Equal(sorted[^1], histogram.MaxMicroseconds);
        Assert.Equal(values.Average(), histogram.MeanMicroseconds, 3);
    }
}
