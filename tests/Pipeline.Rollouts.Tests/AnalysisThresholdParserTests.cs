using Pipeline.LoadTesting.Thresholds;
using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Tests;

public sealed class AnalysisThresholdParserTests
{
    [Theory]
    [InlineData("success_rate>=0.999", AnalysisMetric.SuccessRate, null, Comparison.GreaterOrEqual, 0.999)]
    [InlineData("success_rate >= 99.9%", AnalysisMetric.SuccessRate, null, Comparison.GreaterOrEqual, 0.999)]
    [InlineData("p99<20ms", AnalysisMetric.LatencyPercentile, 99.0, Comparison.LessThan, 20.0)]
    [InlineData("p(95)<=1.5s", AnalysisMetric.LatencyPercentile, 95.0, Comparison.LessOrEqual, 1500.0)]
    [InlineData("error_rate<0.5%", AnalysisMetric.ErrorRate, null, Comparison.LessThan, 0.005)]
    public void Parses_success_rate_error_rate_and_latency_percentiles(string expression, AnalysisMetric metric, double? percentile, Comparison comparison, double limit)
    {
        var threshold = AnalysisThresholdParser.Parse(expression);
        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(percentile, threshold.Percentile);
        Assert.Equal(comparison, threshold.Comparison);
        Assert.Equal(limit, threshold.Limit, 12);
    }

    [Theory]
    [InlineData("rps>=100", "not rps")]
    [InlineData("mean<5ms", "not mean")]
    [InlineData("success_rate>=1.5", "outside 0–1")]
    [InlineData("latency is fine", "not METRIC OP VALUE")]
    public void Refuses_what_an_analysis_cannot_read_and_says_what_it_can(string expression, string problem)
    {
        var error = Assert.Throws<FormatException>(() => AnalysisThresholdParser.Parse(expression));
        Assert.Contains(problem, error.Message);
        Assert.Contains($"'{expression}'", error.Message);
        Assert.Contains("success_rate>=0.999", error.Message);
    }

    [Fact]
    public void Success_rate_reads_the_share_of_answers_that_were_not_5xx()
    {
        var threshold = AnalysisThresholdParser.Parse("success_rate>=0.99");
        var measurement = new VersionMeasurement("v2", 200, 3, new Dictionary<double, double>());
        Assert.Equal(0.985, threshold.ValueIn(measurement)!.Value, 12);
        Assert.False(threshold.Holds(threshold.ValueIn(measurement)!.Value));
        Assert.Null(threshold.ValueIn(VersionMeasurement.Empty("v2")));
    }
}
