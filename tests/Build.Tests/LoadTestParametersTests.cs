using Pipeline.Engine;
using Pipeline.LoadTesting.Thresholds;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>The load-test gate as a run in this repository gets it: a typo in its thresholds must fail here, not at the end of a pipeline run.</summary>
public sealed class LoadTestParametersTests
{
    [Fact]
    public async Task The_thresholds_a_run_uses_parse_and_cover_latency_errors_and_throughput()
    {
        var parameters = await ResolvedBuildParameters.ResolveAsync(RepositoryRoot.Find());
        var expressions = (string[])parameters.Get("LoadThresholds").Value!;
        var rate = (double)parameters.Get("LoadRate").Value!;

        var thresholds = ThresholdParser.ParseAll(expressions);

        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.Percentile && t.Percentile == 99);
        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.ErrorRate);
        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.RequestsPerSecond);
        // A throughput floor above the offered rate could never pass.
        Assert.All(thresholds.Where(t => t.Metric == ThresholdMetric.RequestsPerSecond), t => Assert.True(t.Limit < rate, $"{t.Expression} with --load-rate {rate}"));
    }

    [Fact]
    public void The_default_thresholds_bound_the_tail_and_the_median()
    {
        using var root = new TemporaryDirectory();
        var parameter = BuildGraph.From<global::Build>(root.Path).FindParameter("LoadThresholds")!;

        var thresholds = ThresholdParser.ParseAll((string[])parameter.DefaultValue!);

        Assert.Equal("--load-thresholds", parameter.Option);
        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.Percentile && t.Percentile == 99);
        // The median bound catches a general slowdown the p99 bound lets through (issue #12: it was only in parameters.json).
        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.Percentile && t.Percentile == 50);
    }
}
