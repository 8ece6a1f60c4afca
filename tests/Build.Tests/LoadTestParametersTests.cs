using System.Text.Json;
using Pipeline.Engine;
using Pipeline.LoadTesting.Thresholds;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>The load-test gate's thresholds as shipped: a typo in parameters.json must fail here, not at the end of a pipeline run.</summary>
public sealed class LoadTestParametersTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public LoadTestParametersTests() => Directory.CreateDirectory(_root.File(".nuke"));

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_committed_thresholds_parse_and_cover_latency_errors_and_throughput()
    {
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), ".nuke", "parameters.json")));
        var expressions = parameters.RootElement.GetProperty("LoadThresholds").EnumerateArray().Select(e => e.GetString()!).ToList();

        var thresholds = ThresholdParser.ParseAll(expressions);

        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.Percentile && t.Percentile == 99);
        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.ErrorRate);
        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.RequestsPerSecond);
        // A throughput floor above the offered rate could never pass.
        var rate = parameters.RootElement.GetProperty("LoadRate").GetDouble();
        Assert.All(thresholds.Where(t => t.Metric == ThresholdMetric.RequestsPerSecond), t => Assert.True(t.Limit < rate, $"{t.Expression} with --load-rate {rate}"));
    }

    [Fact]
    public void The_built_in_defaults_parse_too()
    {
        var graph = BuildGraph.From<global::Build>(_root.Path);
        var defaults = (string[])graph.FindParameter("LoadThresholds")!.DefaultValue!;
        Assert.NotEmpty(ThresholdParser.ParseAll(defaults));
        Assert.Equal("--load-thresholds", graph.FindParameter("LoadThresholds")!.Option);
    }
}
