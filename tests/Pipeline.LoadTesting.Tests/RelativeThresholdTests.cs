using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.LoadTesting.Tests;

/// <summary>Thresholds relative to a baseline: parsing, the refusals that explain themselves, and evaluation.</summary>
public sealed class RelativeThresholdTests
{
    [Theory]
    [InlineData("p99<=1.2x", ThresholdMetric.Percentile, 99.0, Comparison.LessOrEqual, 1.2)]
    [InlineData("p(95) < 1.1x", ThresholdMetric.Percentile, 95.0, Comparison.LessThan, 1.1)]
    [InlineData("mean<=1.25x", ThresholdMetric.Mean, null, Comparison.LessOrEqual, 1.25)]
    [InlineData("rps>=0.95x", ThresholdMetric.RequestsPerSecond, null, Comparison.GreaterOrEqual, 0.95)]
    public void Parses_metric_operator_and_factor(string expression, ThresholdMetric metric, double? percentile, Comparison comparison, double factor)
    {
        var threshold = RelativeThresholdParser.Parse(expression);

        Assert.Equal((metric, percentile, comparison, factor), (threshold.Metric, threshold.Percentile, threshold.Comparison, threshold.Factor));
    }

    [Theory]
    [InlineData("p99<50ms", "an absolute limit belongs in --load-thresholds")]
    [InlineData("error_rate<=2x", "absolute error_rate in --load-thresholds")]
    [InlineData("p99<=0x", "not a positive factor")]
    [InlineData("latency<=1.2x", "unknown metric")]
    public void Refuses_what_has_no_meaning_relative_to_a_baseline_and_says_why(string expression, string reason)
    {
        var error = Assert.Throws<FormatException>(() => RelativeThresholdParser.Parse(expression));

        Assert.Contains(reason, error.Message);
        Assert.Contains(expression, error.Message);
    }

    [Fact]
    public void The_limit_is_the_factor_times_the_baseline_value()
    {
        var p99 = RelativeThresholdParser.Parse("p99<=1.2x");
        var rps = RelativeThresholdParser.Parse("rps>=0.95x");

        Assert.True(p99.AgainstBaseline(10).Holds(12));
        Assert.False(p99.AgainstBaseline(10).Holds(12.1));
        Assert.True(rps.AgainstBaseline(400).Holds(380));
        Assert.False(rps.AgainstBaseline(400).Holds(379));
    }
}
