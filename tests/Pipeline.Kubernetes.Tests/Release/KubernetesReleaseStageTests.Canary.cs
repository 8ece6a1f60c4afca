using Pipeline.Kubernetes.Manifests;
using Pipeline.ModelRegistry;
using Pipeline.Rollouts.Analysis;
using Pipeline.Rollouts.Canary;
using Pipeline.Stages;

namespace Pipeline.Kubernetes.Tests;

/// <summary>
/// Deploy --strategy canary on the fake cluster: the canary Deployment's pod count follows the steps beside the stable
/// pods, a passing canary ends with the stable Deployment on the new version, a failing one leaves the cluster and the
/// registry as they were. The analysis port answers from the pods the canary has (Prometheus cannot scrape fake pods).
/// </summary>
public sealed partial class KubernetesReleaseStageTests
{
    [Fact]
    public async Task A_healthy_canary_grows_by_pod_ratio_then_becomes_the_stable_Deployment_and_is_recorded()
    {
        var (v1, v2) = await StableV1AndCandidateV2Async();
        var metrics = new PodCountingMetrics(this, v2.Version, canaryErrorRatio: 0);

        var outcome = await Stage().CanaryAsync(v2, Image(v2), Request(), Plan("25,50,100"), metrics, CancellationToken.None);

        Assert.True(outcome.Promoted);
        // 2 stable pods: 25 % asks for round(2·25/75) = 1 canary pod, 50 % for 2; at 100 % the stable Deployment itself runs v2.
        Assert.Equal([1, 2, 0], metrics.CanaryPodsSeen.Distinct());
        var stable = await ServingDeploymentAsync();
        Assert.Equal(v2.Version, stable["spec"]!["template"]!["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
        Assert.Equal(0, (await CanaryDeploymentAsync())["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(v2.Version, (await _registry.GetProductionAsync(Target()))!.VersionId);
        Assert.Contains(_log, l => l.Contains("approximate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_canary_is_scaled_away_and_the_stable_version_and_the_registry_stay()
    {
        var (v1, v2) = await StableV1AndCandidateV2Async();
        var metrics = new PodCountingMetrics(this, v2.Version, canaryErrorRatio: 0.2);

        var aborted = await Assert.ThrowsAsync<CanaryAbortedException>(() =>
            Stage().CanaryAsync(v2, Image(v2), Request(), Plan("25,50,100"), metrics, CancellationToken.None));

        Assert.Contains("aborted at 25 %", aborted.Message);
        Assert.Contains("| 25 % |", aborted.Message);
        Assert.Equal(0, (await CanaryDeploymentAsync())["spec"]!["replicas"]!.GetValue<int>());
        Assert.Empty(await _cluster.Client.ListAsync(Api.ResourceType.Pods, "default", $"{CanaryManifest.TrackLabel}={CanaryManifest.CanaryTrack}", CancellationToken.None));
        var stable = await ServingDeploymentAsync();
        Assert.Equal(v1.Version, stable["spec"]!["template"]!["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
        Assert.Equal(v1.Version, (await _registry.GetProductionAsync(Target()))!.VersionId);
    }

    [Fact]
    public async Task A_canary_failing_after_the_stable_Deployment_was_rolled_is_undone_to_the_stable_version()
    {
        var (v1, v2) = await StableV1AndCandidateV2Async();
        var metrics = new PodCountingMetrics(this, v2.Version, canaryErrorRatio: 0) { FailWhenStableRuns = true };

        await Assert.ThrowsAsync<CanaryAbortedException>(() => Stage().CanaryAsync(v2, Image(v2), Request(), Plan("50,100"), metrics, CancellationToken.None));

        var stable = await ServingDeploymentAsync();
        Assert.Equal(v1.Version, stable["spec"]!["template"]!["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
        Assert.Equal(v1.Version, (await _registry.GetProductionAsync(Target()))!.VersionId);
    }

    [Fact]
    public async Task A_canary_needs_a_stable_version_to_be_compared_with()
    {
        var v1 = await RegisterAsync("v1", passing: true);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Stage().CanaryAsync(v1, Image(v1), Request(), Plan("50,100"), new PodCountingMetrics(this, v1.Version, 0), CancellationToken.None));
        Assert.Contains("--strategy blue-green", error.Message);
    }

    private async Task<(ReleaseManifest V1, ReleaseManifest V2)> StableV1AndCandidateV2Async()
    {
        var v1 = await RegisterAsync("v1", passing: true);
        var v2 = await RegisterAsync("v2", passing: true);
        await Stage().DeployAsync(v1, Image(v1), Request(), CancellationToken.None);
        return (v1, v2);
    }

    private static CanaryPlan Plan(string steps) =>
        CanaryPlanner.Plan(steps, 2, ["success_rate>=0.99", "p99<20ms"], 10).Plan! with { AnalysisInterval = TimeSpan.FromSeconds(1) };

    private async Task<System.Text.Json.Nodes.JsonObject> CanaryDeploymentAsync() =>
        (await _cluster.Client.GetAsync(Api.ResourceType.Deployments, "default", CanaryManifest.NameFor("fashion-mnist-serving"), CancellationToken.None))!;

    /// <summary>
    /// Each version answers 50 requests per second per running pod of it; the canary's pods are counted in the fake
    /// cluster at every measurement. A canary with an error ratio fails its analysis; FailWhenStableRuns fails it once
    /// the stable Deployment runs the new version (the 100 % step).
    /// </summary>
    private sealed class PodCountingMetrics(KubernetesReleaseStageTests test, string canaryVersion, double canaryErrorRatio) : IVersionMetrics
    {
        public List<int> CanaryPodsSeen { get; } = [];
        public bool FailWhenStableRuns { get; init; }

        public async Task<VersionMeasurement> MeasureAsync(string version, TimeSpan window, IReadOnlyList<double> percentiles, CancellationToken cancellationToken)
        {
            var pods = await test._cluster.Client.ListAsync(Api.ResourceType.Pods, "default", "app.kubernetes.io/name=fashion-mnist-serving", cancellationToken);
            var running = pods.Where(p => p["metadata"]?["deletionTimestamp"] is null).ToList();
            var ofVersion = running.Count(p => p["metadata"]?["annotations"]?[ManifestGenerator.ModelVersionAnnotation]?.GetValue<string>() == version);
            var canaryPods = running.Count(p => p["metadata"]?["labels"]?[CanaryManifest.TrackLabel] is not null);
            if (version == canaryVersion) CanaryPodsSeen.Add(canaryPods);
            var requests = 50.0 * ofVersion * window.TotalSeconds;
            var stableRolled = FailWhenStableRuns && version == canaryVersion && ofVersion > canaryPods;
            var errors = version == canaryVersion ? requests * (stableRolled ? 0.5 : canaryErrorRatio) : 0;
            return new VersionMeasurement(version, requests, errors, percentiles.ToDictionary(p => p, _ => 5.0));
        }

        public Task WaitUntilMeasuredAsync(string version, TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyDictionary<string, double>> PredictedClassesAsync(string version, TimeSpan window, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>());
    }
}
