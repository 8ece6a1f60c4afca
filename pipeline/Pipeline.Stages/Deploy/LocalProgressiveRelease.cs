using Pipeline.Docker;
using Pipeline.ReverseProxy;
using Pipeline.Rollouts.AbTest;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>
/// Canary, A/B and Promote on the local edge. The new version starts in the free slot and passes the same readiness and
/// smoke test as a blue/green switch before it sees a request; then it gets traffic by edge weights while synthetic
/// traffic (<see cref="AnalysisTraffic"/>) runs through the stable endpoint. A promoted canary takes the whole route and
/// the old container drains and stops; an aborted one gives every request back to stable, drains and is removed.
/// </summary>
public sealed class LocalProgressiveRelease(DockerClient docker, HaproxyEdge edge, ModelSmokeTest smoke, LocalDeployOptions options,
    TimeProvider time, Action<string> log)
{
    private readonly BlueGreenSwitch _switch = new(docker, edge, smoke, options, log);

    /// <summary>Runs <paramref name="plan"/>; returns the outcome and the container now serving, or throws <see cref="CanaryAbortedException"/>.</summary>
    public async Task<(CanaryOutcome Outcome, ServingSlot Serving, AnalysisTrafficResult? Traffic)> CanaryAsync(LocalDeploymentState state, string version, string image,
        string referenceModelPath, CanaryPlan plan, ProgressiveOptions progressive, CancellationToken cancellationToken)
    {
        var (stable, stableServer) = RequireStable(state, "a canary");
        var (container, color) = await _switch.StartCheckedAsync(state, version, image, referenceModelPath, cancellationToken);
        var canaryServer = EdgeServers.For(container, color, 0, version);
        var traffic = new EdgeCanaryTraffic(edge, options.ModelName, stableServer, canaryServer);
        CanaryOutcome outcome;
        AnalysisTrafficResult? load;
        try
        {
            await traffic.SetCanaryPercentAsync(0, cancellationToken);
            var metrics = new EdgeCheckedMetrics(progressive.Metrics, edge, options.ModelName, canaryServer,
                await EdgeCheckedMetrics.SnapshotAsync(edge, options.ModelName, canaryServer.Slot, cancellationToken));
            (outcome, load) = await WithLoadAsync(progressive, referenceModelPath,
                () => new CanaryController(traffic, metrics, time, log).RunAsync(plan, stable.Version, version, cancellationToken), cancellationToken);
        }
        catch
        {
            await RemoveAsync(stableServer, canaryServer, container);
            throw;
        }

        if (!outcome.Promoted)
        {
            await RemoveAsync(stableServer, canaryServer, container);
            throw CanaryAbortedException.For(outcome, $"127.0.0.1:{options.ListenPort}", load);
        }
        await FinishAsync(winner: canaryServer, loser: stableServer, stable, cancellationToken);
        return (outcome, new ServingSlot(container.Id, container.Name, color, version, container.BaseAddress.Port, true), load);
    }

    /// <summary>
    /// Serves both versions for <paramref name="duration"/> with <paramref name="weightPercent"/> of requests on the new one, then
    /// compares them from their metrics. Both keep serving: Promote decides.
    /// </summary>
    public async Task<(AbComparison Comparison, AnalysisTrafficResult? Traffic)> AbTestAsync(LocalDeploymentState state, string version, string image,
        string referenceModelPath, int weightPercent, TimeSpan duration, ProgressiveOptions progressive, CancellationToken cancellationToken)
    {
        if (weightPercent is < 1 or > 99) throw new ArgumentException($"--ab-weight {weightPercent}: both versions must get traffic; give the new one 1-99 %.");
        var (stable, stableServer) = RequireStable(state, "an A/B test");
        var (container, color) = await _switch.StartCheckedAsync(state, version, image, referenceModelPath, cancellationToken);
        var newServer = EdgeServers.For(container, color, 0, version);
        var traffic = new EdgeCanaryTraffic(edge, options.ModelName, stableServer, newServer);
        try
        {
            await traffic.SetCanaryPercentAsync(0, cancellationToken);
            await progressive.Metrics.WaitUntilMeasuredAsync(version, TimeSpan.FromSeconds(60), cancellationToken);
            await traffic.SetCanaryPercentAsync(weightPercent, cancellationToken);
            log($"A/B: {stable.Version} {100 - weightPercent} % / {version} {weightPercent} % on 127.0.0.1:{options.ListenPort} ({traffic.Describe(weightPercent)}) for {duration.TotalSeconds:F0} s");
            var (_, load) = await WithLoadAsync(progressive, referenceModelPath, async () =>
            {
                await Task.Delay(duration, time, cancellationToken);
                return true;
            }, cancellationToken);
            var comparison = new AbComparison(await SideAsync(progressive, stable.Version, duration, cancellationToken),
                await SideAsync(progressive, version, duration, cancellationToken), weightPercent);
            return (comparison, load);
        }
        catch
        {
            await RemoveAsync(stableServer, newServer, container);
            throw;
        }
    }

    /// <summary>Ends an A/B test (or a split left by an interrupted run): <paramref name="version"/> takes the whole route, the other container drains and stops.</summary>
    public async Task<ServingSlot> PromoteAsync(LocalDeploymentState state, string version, CancellationToken cancellationToken)
    {
        var route = state.Route(options.ModelName) ?? throw new DeployFailedException(
            $"The edge on 127.0.0.1:{options.ListenPort} has no route for {options.ModelName}: there is nothing to promote. Deploy it first.");
        var winner = route.Servers.FirstOrDefault(s => s.Version == version) ?? throw new DeployFailedException(
            $"{version} does not serve {options.ModelName} on 127.0.0.1:{options.ListenPort}; it serves {string.Join(" and ", route.Servers.Select(s => $"{s.Version} ({s.Weight}/{BlueGreenSwitch.FullWeight})"))}. " +
            "Promote takes one of the versions an A/B test left serving (--to-version).");
        var slot = state.Containers.FirstOrDefault(c => c.Name == winner.Backend && c.Running) ?? throw new DeployFailedException(
            $"The container {winner.Backend} of {version} is not running; deploy {version} again instead.");
        if (route.Servers.FirstOrDefault(s => s.Version != version) is { } loser)
        {
            var loserSlot = state.Containers.FirstOrDefault(c => c.Name == loser.Backend);
            await FinishAsync(winner, loser, loserSlot, cancellationToken);
        }
        else log($"{version} already serves {options.ModelName} alone on 127.0.0.1:{options.ListenPort}; nothing to change on the edge");
        return slot;
    }

    private (ServingSlot Stable, EdgeServer Server) RequireStable(LocalDeploymentState state, string what)
    {
        var route = state.Route(options.ModelName);
        if (!state.EdgeRunning || state.Active is not { } active || route is null)
            throw new DeployFailedException($"{what} needs a stable version serving {options.ModelName} on 127.0.0.1:{options.ListenPort} to compare with, " +
                "and there is none: deploy the first version with --strategy blue-green. Nothing was changed.");
        if (route.Servers.Count(s => s.Weight > 0) > 1)
            throw new DeployFailedException($"{options.ModelName} is already split between {string.Join(" and ", route.Servers.Select(s => s.Version))} " +
                "(an A/B test or an interrupted canary): finish it with ./build.sh Promote --to-version VERSION first. Nothing was changed.");
        return (active, route.Servers.Single(s => s.Backend == active.Name));
    }

    /// <summary>Gives <paramref name="winner"/> the whole route, waits until the other slot holds no request, stops its container and leaves its slot in maintenance.</summary>
    private async Task FinishAsync(EdgeServer winner, EdgeServer loser, ServingSlot? loserContainer, CancellationToken cancellationToken)
    {
        await ApplyRouteAsync([winner with { Weight = BlueGreenSwitch.FullWeight }, loser with { Weight = 0 }], cancellationToken);
        await _switch.WaitForDrainAsync(loser, cancellationToken);
        if (loserContainer is not null) await _switch.RetireAsync(loserContainer, cancellationToken);
        await ApplyRouteAsync([winner with { Weight = BlueGreenSwitch.FullWeight }], cancellationToken);
        log($"127.0.0.1:{options.ListenPort}/v2/models/{options.ModelName} now serves {winner.Version} alone ({winner.Backend}); {loser.Backend} ({loser.Version}) drained and stopped");
    }

    /// <summary>All traffic back on stable, the new slot drained, its container removed: as if it never started.</summary>
    private async Task RemoveAsync(EdgeServer stable, EdgeServer removed, ServingContainer container)
    {
        await ApplyRouteAsync([stable with { Weight = BlueGreenSwitch.FullWeight }, removed with { Weight = 0 }], CancellationToken.None);
        await _switch.WaitForDrainAsync(removed, CancellationToken.None);
        await ApplyRouteAsync([stable with { Weight = BlueGreenSwitch.FullWeight }], CancellationToken.None);
        await container.DisposeAsync();
    }

    private Task ApplyRouteAsync(IReadOnlyList<EdgeServer> servers, CancellationToken cancellationToken) =>
        EdgeCanaryTraffic.ApplyRouteAsync(edge, options.ModelName, servers, cancellationToken);

    private static async Task<AbSide> SideAsync(ProgressiveOptions progressive, string version, TimeSpan window, CancellationToken cancellationToken) => new(
        await progressive.Metrics.MeasureAsync(version, window, [50, 99], cancellationToken),
        await progressive.Metrics.PredictedClassesAsync(version, window, cancellationToken), window);

    /// <summary>Runs <paramref name="work"/> while synthetic traffic flows through the stable endpoint (unless its rate is 0); returns both results.</summary>
    private async Task<(T Result, AnalysisTrafficResult? Traffic)> WithLoadAsync<T>(ProgressiveOptions progressive, string referenceModelPath, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (progressive.LoadRequestsPerSecond <= 0) return (await work(), null);
        var workload = await InferenceWorkload.UncheckedAsync(progressive.Ort, referenceModelPath, options.ModelName, options.Data, images: 512, cancellationToken,
            options.ApiKeys?.Key);
        using var http = AnalysisTraffic.ClientFor(EdgeTls.Endpoint(options), handler => EdgeTls.Trusting(handler, options.Tls ? edge.Layout : null));
        using var stop = new CancellationTokenSource();
        var running = new AnalysisTraffic(http, workload, progressive.LoadRequestsPerSecond).RunAsync(stop.Token);
        log($"synthetic traffic: {progressive.LoadRequestsPerSecond:G} requests/s of test rows through 127.0.0.1:{options.ListenPort} (--analysis-load-rps; 0 for real traffic only)");
        T result;
        try
        {
            result = await work();
        }
        finally
        {
            await stop.CancelAsync();
        }
        var traffic = await running;
        log($"synthetic traffic: {traffic.Describe()}");
        return (result, traffic);
    }
}
