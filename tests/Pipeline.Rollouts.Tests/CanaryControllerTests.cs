using Microsoft.Extensions.Time.Testing;
using Pipeline.Rollouts.Analysis;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Rollouts.Tests;

/// <summary>
/// The controller's decisions on a fake clock: traffic in memory at 100 requests/s split by the current percentage,
/// each version with its own error ratio and p99. The real edge and Prometheus are in the Deploy tests.
/// </summary>
public sealed class CanaryControllerTests
{
    private const string Stable = "fashion-mnist-v1";
    private const string Canary = "fashion-mnist-v2";

    [Fact]
    public async Task A_healthy_canary_passes_every_step_and_is_promoted()
    {
        var world = new World(canaryErrors: 0, canaryP99: 8);
        var outcome = await world.RunAsync(Plan());

        Assert.True(outcome.Promoted);
        Assert.Equal([10, 50, 100], world.Traffic.Percents);
        Assert.Equal([10, 50, 100], outcome.Analyses.Select(a => a.WeightPercent));
        Assert.All(outcome.Analyses, a => Assert.Equal(AnalysisVerdict.Successful, a.Verdict));
        // At 10 % of 100 req/s over a 10 s step the canary answered about 100 requests; the stable version 900.
        Assert.InRange(outcome.Analyses[0].Canary.Requests, 90, 110);
        Assert.InRange(outcome.Analyses[0].Stable!.Requests, 810, 990);
        Assert.Null(outcome.Analyses[2].Stable);
    }

    [Fact]
    public async Task A_canary_returning_errors_is_aborted_at_the_first_look_and_traffic_goes_back_to_stable()
    {
        var world = new World(canaryErrors: 0.05, canaryP99: 8);
        var outcome = await world.RunAsync(Plan());

        Assert.False(outcome.Promoted);
        Assert.Equal([10, 0], world.Traffic.Percents);
        var abort = Assert.Single(outcome.Analyses);
        Assert.Equal(AnalysisVerdict.Failed, abort.Verdict);
        Assert.Contains("success_rate>=0.999 measured 95.00 %", abort.Reason);
        // Aborted at the first look (2 s), not at the step's end (10 s).
        Assert.Equal(TimeSpan.FromSeconds(2), outcome.TimeToAbort);
        Assert.Equal(0.999, Assert.Single(abort.Checks, c => c.Threshold.Metric == AnalysisMetric.SuccessRate).Stable!.Value, 3);
    }

    [Fact]
    public async Task A_slow_canary_is_aborted_on_its_p99()
    {
        var world = new World(canaryErrors: 0, canaryP99: 45);
        var outcome = await world.RunAsync(Plan());

        Assert.False(outcome.Promoted);
        Assert.Contains("p99<20ms measured 45.0 ms", outcome.AbortedBy!.Reason);
        Assert.Equal(0, world.Traffic.Percents[^1]);
    }

    [Fact]
    public async Task Too_few_requests_is_inconclusive_and_aborts_instead_of_promoting_without_evidence()
    {
        var world = new World(canaryErrors: 0, canaryP99: 8, requestsPerSecond: 5);
        var outcome = await world.RunAsync(Plan());

        Assert.False(outcome.Promoted);
        Assert.Equal(AnalysisVerdict.Inconclusive, outcome.AbortedBy!.Verdict);
        Assert.Contains("fewer than the 50 an analysis needs", outcome.AbortedBy.Reason);
        // Inconclusive is only known at the step's end: the early looks wait for a failure, not for evidence.
        Assert.Equal(TimeSpan.FromSeconds(10), outcome.TimeToAbort);
        Assert.Equal([10, 0], world.Traffic.Percents);
    }

    [Fact]
    public async Task A_cancelled_canary_gives_all_traffic_back_to_stable()
    {
        var world = new World(canaryErrors: 0, canaryP99: 8);
        using var cancel = new CancellationTokenSource();
        var run = world.Controller.RunAsync(Plan(), Stable, Canary, cancel.Token);
        world.Clock.Advance(TimeSpan.FromSeconds(3));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal([10, 0], world.Traffic.Percents);
    }

    private static CanaryPlan Plan() =>
        CanaryPlanner.Plan("10,50,100", 10, ["success_rate>=0.999", "p99<20ms"], 50).Plan! with { AnalysisInterval = TimeSpan.FromSeconds(2) };

    private sealed class World
    {
        public World(double canaryErrors, double canaryP99, double requestsPerSecond = 100)
        {
            Traffic = new RecordingTraffic();
            Metrics = new SplitMetrics(Traffic, requestsPerSecond, canaryErrors, canaryP99);
            Controller = new CanaryController(Traffic, Metrics, Clock, _ => { });
        }

        public FakeTimeProvider Clock { get; } = new();
        public RecordingTraffic Traffic { get; }
        public SplitMetrics Metrics { get; }
        public CanaryController Controller { get; }

        public async Task<CanaryOutcome> RunAsync(CanaryPlan plan)
        {
            var run = Controller.RunAsync(plan, Stable, Canary, CancellationToken.None);
            for (var i = 0; i < 1000 && !run.IsCompleted; i++)
            {
                await Task.Delay(1);
                Clock.Advance(TimeSpan.FromSeconds(1));
            }
            return await run;
        }
    }

    private sealed class RecordingTraffic : ICanaryTraffic
    {
        public List<int> Percents { get; } = [];
        public int Current => Percents.Count > 0 ? Percents[^1] : 0;
        public string Describe(int percent) => "in memory";

        public Task SetCanaryPercentAsync(int percent, CancellationToken cancellationToken)
        {
            Percents.Add(percent);
            return Task.CompletedTask;
        }
    }

    /// <summary>Each version's requests over a window are its share of the traffic; the stable version has a 0.1 % error ratio and an 8 ms p99.</summary>
    private sealed class SplitMetrics(RecordingTraffic traffic, double requestsPerSecond, double canaryErrors, double canaryP99) : IVersionMetrics
    {
        public Task<VersionMeasurement> MeasureAsync(string version, TimeSpan window, IReadOnlyList<double> percentiles, CancellationToken cancellationToken)
        {
            var share = version == Canary ? traffic.Current / 100.0 : 1 - traffic.Current / 100.0;
            var requests = requestsPerSecond * share * window.TotalSeconds;
            var errors = version == Canary ? canaryErrors : 0.001;
            var p99 = version == Canary ? canaryP99 : 8;
            return Task.FromResult(new VersionMeasurement(version, requests, requests * errors, percentiles.ToDictionary(p => p, _ => p99)));
        }

        public Task WaitUntilMeasuredAsync(string version, TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyDictionary<string, double>> PredictedClassesAsync(string version, TimeSpan window, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>());
    }
}
