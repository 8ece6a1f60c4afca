using Pipeline.ModelRegistry;
using Pipeline.Rollouts.Analysis;
using Pipeline.Rollouts.Canary;
using Pipeline.Stages;
using Xunit.Abstractions;

namespace Pipeline.Stages.Tests;

/// <summary>
/// Deploy --strategy canary and ab on the real Docker engine behind the real HAProxy edge, analysed from a real
/// Prometheus scraping the containers, with synthetic traffic through the edge: a healthy canary is promoted, a slow
/// one and one that answers 503 are aborted with every request back on the stable version, and an A/B test reports
/// both versions and leaves the choice to Promote.
/// </summary>
[Collection(PipelineRunCollection.Name)]
public sealed class LocalCanaryTests(PipelineRunFixture run, CanaryPrometheusFixture prometheus, ITestOutputHelper output) : IClassFixture<CanaryPrometheusFixture>
{
    // A healthy batch-1 answer takes about a millisecond; the slow version's hundreds. 100 ms leaves a loaded CI runner room.
    private static readonly string[] Thresholds = ["success_rate>=0.99", "p99<100ms"];
    private const double LoadRps = 40;

    private DeployVersionsFixture Versions => run.DeployVersions;

    [Fact]
    public async Task A_healthy_canary_passes_every_step_and_is_promoted_with_no_request_failed()
    {
        await using var harness = await StableV1Async();

        var result = await harness.Deployer(run).CanaryAsync(harness.Manifest(Versions.V2), DeployHarness.Image(Versions.V2), Plan(), Progressive(harness),
            "0123456789abcdef", "canary test", CancellationToken.None);
        output.WriteLine(result.Canary);
        output.WriteLine(result.Traffic!.Describe());

        Assert.Equal(LocalDeployment.DeployedAction, result.Action);
        Assert.Equal(Versions.V1.Version, result.PreviousVersion);
        Assert.Equal([Versions.V2.Version], await harness.ServedVersionsAsync());
        Assert.Equal(Versions.V2.Version, (await harness.Registry.GetProductionAsync(harness.Target))!.VersionId);
        Assert.Equal([$"{harness.Name}-green"], (await harness.ContainersAsync()).SelectMany(c => c.Names).Select(n => n.TrimStart('/')));
        Assert.Equal(0, result.Traffic.Failed);
        Assert.True(result.Traffic.Answered2xx > 100, result.Traffic.Describe());
        Assert.Contains("| 20 % |", result.Canary);
        Assert.Contains("| 100 % |", result.Canary);
    }

    [Fact]
    public async Task A_slow_canary_is_aborted_on_its_p99_and_every_request_goes_back_to_the_stable_version()
    {
        await using var harness = await StableV1Async();

        var aborted = await Assert.ThrowsAsync<CanaryAbortedException>(() => harness.Deployer(run).CanaryAsync(harness.Manifest(Versions.Slow),
            DeployHarness.Image(Versions.Slow), Plan(), Progressive(harness), "0123456789abcdef", "canary test", CancellationToken.None));
        output.WriteLine(aborted.Message);

        var abort = aborted.Outcome.AbortedBy!;
        Assert.Equal(20, abort.WeightPercent);
        Assert.Equal(AnalysisVerdict.Failed, abort.Verdict);
        var p99 = Assert.Single(abort.Checks, c => c.Threshold.Metric == AnalysisMetric.LatencyPercentile);
        Assert.Equal(AnalysisVerdict.Failed, p99.Verdict);
        Assert.True(p99.Canary > 100 && p99.Stable < 100, $"canary p99 {p99.Canary} ms, stable {p99.Stable} ms");
        // Slow is not failed: clients waited longer for the canary's answers, and none of them was lost.
        Assert.Equal(0, aborted.Traffic!.Failed);
        await AssertStableV1ServesAloneAsync(harness);
    }

    [Fact]
    public async Task A_canary_answering_503_is_aborted_on_its_success_rate_and_after_the_abort_no_client_sees_an_error()
    {
        await using var harness = await StableV1Async();

        var aborted = await Assert.ThrowsAsync<CanaryAbortedException>(() => harness.Deployer(run).CanaryAsync(harness.Manifest(Versions.Overloaded),
            DeployHarness.Image(Versions.Overloaded), Plan(), Progressive(harness), "0123456789abcdef", "canary test", CancellationToken.None));
        output.WriteLine(aborted.Message);

        var success = Assert.Single(aborted.Outcome.AbortedBy!.Checks, c => c.Threshold.Metric == AnalysisMetric.SuccessRate);
        Assert.Equal(AnalysisVerdict.Failed, success.Verdict);
        Assert.True(success.Canary < 0.99 && success.Stable >= 0.99, $"canary success rate {success.Canary}, stable {success.Stable}");
        // The clients saw the canary's 503s (the analysis' evidence) and never lost a connection.
        Assert.True(aborted.Traffic!.ByStatus.GetValueOrDefault(503) > 0, aborted.Traffic.Describe());
        Assert.Equal(0, aborted.Traffic.TransportErrors);
        await AssertStableV1ServesAloneAsync(harness);
        using var load = await ProxyLoad.CreateAsync(harness.Endpoint, run.DataDirectory, harness.ApiKeys.Key);
        var after = await load.RunAsync(LoadRps, TimeSpan.FromSeconds(3));
        Assert.Equal(0, after.Errors);
    }

    [Fact]
    public async Task A_canary_whose_container_dies_in_the_last_step_is_aborted_on_the_edge_s_errors_and_never_promoted()
    {
        await using var harness = await StableV1Async();
        Task? kill = null;
        // Killed 2.5 s into the 100 % step: its own metrics then hold enough healthy answers to pass, frozen at their last
        // scrape; only the edge sees the 503s for its slot.
        var deployer = harness.Deployer(run, line =>
        {
            run.Log.Add(line);
            if (line.Contains(": 100 % of traffic", StringComparison.Ordinal))
                kill = Task.Delay(TimeSpan.FromSeconds(2.5)).ContinueWith(_ =>
                    harness.Docker.KillContainerAsync($"{harness.Name}-green", "SIGKILL", CancellationToken.None)).Unwrap();
        });

        var aborted = await Assert.ThrowsAsync<CanaryAbortedException>(() => deployer.CanaryAsync(harness.Manifest(Versions.V2),
            DeployHarness.Image(Versions.V2), Plan(), Progressive(harness), "0123456789abcdef", "canary test", CancellationToken.None));
        await kill!;
        output.WriteLine(aborted.Message);

        Assert.Equal(100, aborted.Outcome.AbortedBy!.WeightPercent);
        var success = Assert.Single(aborted.Outcome.AbortedBy.Checks, c => c.Threshold.Metric == AnalysisMetric.SuccessRate);
        Assert.Equal(AnalysisVerdict.Failed, success.Verdict);
        await AssertStableV1ServesAloneAsync(harness);
    }

    [Fact]
    public async Task An_A_B_test_reports_both_versions_changes_nothing_in_production_and_Promote_finishes_it()
    {
        await using var harness = await StableV1Async();

        var comparison = await harness.Deployer(run).AbTestAsync(harness.Manifest(Versions.V2), DeployHarness.Image(Versions.V2), 50, TimeSpan.FromSeconds(6),
            Progressive(harness), CancellationToken.None);
        output.WriteLine(comparison.Markdown());

        Assert.Equal((Versions.V1.Version, Versions.V2.Version), (comparison.A.Measurement.Version, comparison.B.Measurement.Version));
        var total = comparison.A.Measurement.Requests + comparison.B.Measurement.Requests;
        Assert.True(total > 100, $"{total} requests measured");
        Assert.InRange(comparison.B.Measurement.Requests / total, 0.35, 0.65);
        Assert.True(comparison.A.PredictedClasses.Values.Sum() > 0 && comparison.B.PredictedClasses.Values.Sum() > 0);
        Assert.Equal(Versions.V1.Version, (await harness.Registry.GetProductionAsync(harness.Target))!.VersionId);
        Assert.Equal(2, (await harness.ContainersAsync()).Count);
        Assert.Contains("Promote --to-version", await File.ReadAllTextAsync(Path.Combine(harness.OutputDirectory, LocalDeployer.AbReportFileName)));

        var promoted = await harness.Deployer(run).PromoteAsync(Versions.V2.Version, "0123456789abcdef", "A/B winner", CancellationToken.None);

        Assert.Equal(Versions.V1.Version, promoted.PreviousVersion);
        Assert.Equal([Versions.V2.Version], await harness.ServedVersionsAsync());
        Assert.Equal(Versions.V2.Version, (await harness.Registry.GetProductionAsync(harness.Target))!.VersionId);
        Assert.Single(await harness.ContainersAsync());
    }

    private async Task<DeployHarness> StableV1Async()
    {
        await Versions.EnsureAsync();
        var harness = new DeployHarness(Versions, run.Log);
        await harness.DeployAsync(run, Versions.V1);
        return harness;
    }

    private static CanaryPlan Plan() => CanaryPlanner.Plan("20,50,100", 4, Thresholds, 10).Plan!;

    private ProgressiveOptions Progressive(DeployHarness harness) =>
        new(new PrometheusVersionMetrics(prometheus.Client, harness.Model), run.Ort, LoadRps);

    private async Task AssertStableV1ServesAloneAsync(DeployHarness harness)
    {
        Assert.Equal([Versions.V1.Version], await harness.ServedVersionsAsync());
        Assert.Equal(Versions.V1.Version, (await harness.Registry.GetProductionAsync(harness.Target))!.VersionId);
        Assert.Equal([$"{harness.Name}-blue"], (await harness.ContainersAsync()).SelectMany(c => c.Names).Select(n => n.TrimStart('/')));
        var route = (await harness.Edge.ReadActiveDescriptionAsync(CancellationToken.None))!.Route(harness.Model)!;
        Assert.Equal([$"{harness.Name}-blue"], route.Servers.Select(s => s.Backend));
    }
}
