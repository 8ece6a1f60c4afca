using Pipeline.LoadTesting.Histograms;
using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.LoadTesting.Tests;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData("p99<50ms", ThresholdMetric.Percentile, 99.0, Comparison.LessThan, 50.0)]
    [InlineData("p(95)<200ms", ThresholdMetric.Percentile, 95.0, Comparison.LessThan, 200.0)]
    [InlineData(" p99.9 <= 1.5s ", ThresholdMetric.Percentile, 99.9, Comparison.LessOrEqual, 1500.0)]
    [InlineData("max<1s", ThresholdMetric.Max, null, Comparison.LessThan, 1000.0)]
    [InlineData("avg<250us", ThresholdMetric.Mean, null, Comparison.LessThan, 0.25)]
    [InlineData("error_rate<0.001", ThresholdMetric.ErrorRate, null, Comparison.LessThan, 0.001)]
    [InlineData("error_rate<=0.5%", ThresholdMetric.ErrorRate, null, Comparison.LessOrEqual, 0.005)]
    [InlineData("rps>=500", ThresholdMetric.RequestsPerSecond, null, Comparison.GreaterOrEqual, 500.0)]
    public void Accepted_forms_parse(string expression, ThresholdMetric metric, double? percentile, Comparison comparison, double limit)
    {
        var threshold = ThresholdParser.Parse(expression);
        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(percentile, threshold.Percentile);
        Assert.Equal(comparison, threshold.Comparison);
        Assert.Equal(limit, threshold.Limit, 9);
    }

    [Theory]
    [InlineData("p99<50", "not a duration with a unit")]
    [InlineData("p99 = 50ms", "not METRIC OP VALUE")]
    [InlineData("latency<50ms", "unknown metric 'latency'")]
    [InlineData("p(101)<5ms", "outside (0, 100]")]
    [InlineData("error_rate<2", "outside 0–1")]
    [InlineData("rps>=fast", "'fast' is not a number")]
    public void Bad_expressions_name_themselves_and_the_accepted_forms(string expression, string problem)
    {
        var error = Assert.Throws<FormatException>(() => ThresholdParser.Parse(expression));
        Assert.Contains($"'{expression}'", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains("p(95)<200ms", error.Message);
    }

    [Fact]
    public void Evaluation_reports_measured_value_margin_and_verdict()
    {
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= 100; i++) histogram.RecordMicroseconds(i * 1000); // 1..100 ms
        var result = ResultWith(histogram, errors: 1, durationSeconds: 10);

        var results = ThresholdEvaluator.Evaluate(result, ThresholdParser.ParseAll(["p99<50ms", "p(50)<=50ms", "error_rate<0.001", "rps>=10", "max<1s"]));

        Assert.Equal([false, true, false, true, true], results.Select(r => r.Passed));
        // Latencies carry the histogram's ≤ 0.1% bucket error (99 ms reads as 98.976 ms, its bucket's midpoint).
        Assert.Equal(99, results[0].Measured, 1);
        Assert.Equal(-49, results[0].Margin, 1);
        Assert.Equal(0, results[1].Margin, 1);
        Assert.Equal(0.01, results[2].Measured, 9);
        Assert.Equal(10, results[3].Measured, 9);
        Assert.Equal(900, results[4].Margin, 6);
    }

    [Fact]
    public void A_latency_threshold_fails_on_a_run_without_requests()
    {
        var result = ResultWith(new LatencyHistogram(), errors: 0, durationSeconds: 1);
        var verdict = Assert.Single(ThresholdEvaluator.Evaluate(result, [ThresholdParser.Parse("p99<50ms")]));
        Assert.False(verdict.Passed);
    }

    internal static LoadTestResult ResultWith(LatencyHistogram histogram, long errors, double durationSeconds) => new(
        LoadModel.Open, TimeSpan.FromSeconds(durationSeconds), histogram, LatencySummary.From(histogram), errors, 0, 0,
        new Dictionary<int, long> { [200] = histogram.Count - errors, [500] = errors }, new Dictionary<string, long>(), 0, 0, []);
}
