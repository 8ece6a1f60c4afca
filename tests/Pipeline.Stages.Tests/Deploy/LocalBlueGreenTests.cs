using System.Diagnostics;
using Pipeline.LoadTesting.Results;
using Pipeline.ModelRegistry;
using Pipeline.Processes;
using Pipeline.Stages;
using Xunit.Abstractions;

namespace Pipeline.Stages.Tests;

/// <summary>
/// Blue/green on the real Docker engine behind the real HAProxy edge, under steady load through it: switches lose no
/// request, and versions that fail readiness or the smoke test never get traffic.
/// </summary>
[Collection(PipelineRunCollection.Name)]
public sealed class LocalBlueGreenTests(PipelineRunFixture run, ITestOutputHelper output)
{
    // Steady but modest: CI runs other test projects on the same two cores, and when the container is starved for a
    // few hundred milliseconds, 200 req/s piled up past the server's admission bound (64 in flight, then 503), which
    // is the server protecting itself, not the switch losing requests.
    private const double Rate = 100;

    private DeployVersionsFixture Versions => run.DeployVersions;

    [Fact]
    public async Task A_second_model_deployed_to_the_same_port_gets_its_own_route_and_the_first_model_s_traffic_is_untouched()
    {
        await Versions.EnsureAsync();
        await using var fashion = new DeployHarness(Versions, run.Log);
        await fashion.DeployAsync(run, Versions.V1);
        var fashionContainers = await fashion.ContainersAsync();
        await using var twin = new DeployHarness(Versions, run.Log, sharingEdgeWith: fashion, model: DeployVersionsFixture.TwinModel);

        using var load = await ProxyLoad.CreateAsync(fashion.Endpoint, run.DataDirectory, fashion.ApiKeys.Key);
        var loadRun = load.RunAsync(Rate / 2, TimeSpan.FromSeconds(20));
        var deployed = await twin.DeployAsync(run, Versions.Twin);
        Assert.False(loadRun.IsCompleted, "the second model's deploy must have ended while load was still being sent");
        var result = await loadRun;

        AssertNoFailures(result, load);
        Assert.All(load.Answers, a => Assert.Equal(Versions.V1.Version, a.Version));
        Assert.Equal(LocalDeployment.DeployedAction, deployed.Action);
        Assert.Equal(fashion.Endpoint.ToString().TrimEnd('/'), deployed.Endpoint);
        Assert.Equal([Versions.V1.Version], await fashion.ServedVersionsAsync());
        Assert.Equal([Versions.V1.Version], await twin.ServedVersionsAsync());
        Assert.Equal(fashionContainers.Select(c => c.Id), (await fashion.ContainersAsync()).Select(c => c.Id));
        var edge = await fashion.Edge.ReadActiveDescriptionAsync(CancellationToken.None);
        Assert.Equal(["fashion-mnist", DeployVersionsFixture.TwinModel], edge!.Routes.Select(r => r.Model));
        Assert.Equal($"{twin.Name}-blue", Assert.Single(edge.Route(DeployVersionsFixture.TwinModel)!.Servers).Backend);
        // One gRPC port per model: each deployment's own, to its container's gRPC port.
        Assert.Equal((fashion.GrpcPort, twin.GrpcPort), (edge.Route("fashion-mnist")!.GrpcListenPort, edge.Route(DeployVersionsFixture.TwinModel)!.GrpcListenPort));
        Assert.All(edge.Routes.SelectMany(r => r.Servers), s => Assert.Equal(EdgeServers.ContainerGrpcPort, s.GrpcPort));
    }

    [Fact]
    public async Task Deploy_v1_then_v2_under_load_fails_no_request_and_only_v2_answers_after_the_switch()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);
        var first = await harness.DeployAsync(run, Versions.V1);
        Assert.Equal(LocalDeployment.DeployedAction, first.Action);
        Assert.Equal([Versions.V1.Version], await harness.ServedVersionsAsync());

        using var load = await ProxyLoad.CreateAsync(harness.Endpoint, run.DataDirectory, harness.ApiKeys.Key);
        var (result, deployed, switchedAt) = await UnderLoadAsync(load, () => harness.DeployAsync(run, Versions.V2));

        AssertNoFailures(result, load);
        // Keep-alive held through the switch: the users' connections were not closed under them.
        Assert.InRange(load.Connections, 1, 2 * ProxyLoad.Users);
        Assert.Equal(LocalDeployment.DeployedAction, deployed.Action);
        Assert.Equal(Versions.V1.Version, deployed.PreviousVersion);
        // Both versions answered during the run, so the switch happened under load, and after it only v2 did.
        Assert.Contains(load.Answers, a => a.Version == Versions.V1.Version);
        Assert.Equal([Versions.V2.Version], load.VersionsAnsweredAfter(switchedAt));
        Assert.Equal([Versions.V2.Version], await harness.ServedVersionsAsync());
        Report("deploy v1 → v2", result, load, deployed);

        var containers = await harness.ContainersAsync();
        var serving = Assert.Single(containers);
        Assert.Equal(Versions.V2.Version, serving.Labels[DeploymentLabels.ModelVersion]);
        Assert.Equal(deployed.Container, serving.Names.Single());
        var history = await harness.Registry.GetHistoryAsync(harness.Target);
        Assert.Equal([Versions.V1.Version, Versions.V2.Version], history.Select(e => e.Version));
        Assert.All(history, e => Assert.Equal(("0123456789abcdef", ReleaseEventKind.Promoted), (e.SourceRevision, e.Kind)));
        var written = await LocalDeployment.ReadAsync(Path.Combine(harness.OutputDirectory, LocalDeployment.FileName), CancellationToken.None);
        Assert.Equal((Versions.V2.Version, harness.Endpoint.ToString().TrimEnd('/')), (written.Version, written.Endpoint));
        Assert.Equal(0, written.Switch!.FailedDuringSwitch);
    }

    [Fact]
    public async Task Rollback_under_load_returns_the_previous_version_pulling_its_image_and_fails_no_request()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);
        await harness.DeployAsync(run, Versions.V1);
        await harness.DeployAsync(run, Versions.V2);
        // The engine no longer has v1's image: Rollback must pull it from the image registry Containerize pushed it to.
        await harness.Docker.RemoveImageAsync(Versions.V1.Image, force: false, CancellationToken.None);

        using var load = await ProxyLoad.CreateAsync(harness.Endpoint, run.DataDirectory, harness.ApiKeys.Key);
        var (result, rolledBack, switchedAt) = await UnderLoadAsync(load,
            () => harness.Deployer(run).RollbackAsync(null, "0123456789abcdef", "rollback test", dryRun: false, CancellationToken.None));

        AssertNoFailures(result, load);
        Assert.Equal(LocalDeployment.RolledBackAction, rolledBack.Action);
        Assert.Equal(Versions.V1.Version, rolledBack.Version);
        Assert.Contains(load.Answers, a => a.Version == Versions.V2.Version);
        Assert.Equal([Versions.V1.Version], load.VersionsAnsweredAfter(switchedAt));
        Report("rollback v2 → v1", result, load, rolledBack);

        var last = (await harness.Registry.GetHistoryAsync(harness.Target))[^1];
        Assert.Equal((ReleaseEventKind.RolledBack, Versions.V1.Version, Versions.V2.Version, "rollback test"), (last.Kind, last.Version, last.PreviousVersion, last.Reason));
        Assert.Equal(Versions.V1.Version, (await harness.Registry.GetProductionAsync(harness.Target))!.VersionId);
    }

    [Fact]
    public async Task A_version_whose_server_refuses_to_start_is_never_switched_to_and_the_old_one_keeps_serving()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);

        var error = await FailedDeployUnderLoadAsync(harness, Versions.Unready);

        Assert.Contains("failed before the switch", error.Message);
        Assert.Contains("before it was ready", error.Message);
        Assert.Contains(Versions.Unready.Sha256, error.Message); // the server's own log line: its model's real SHA-256
        Assert.Contains($"{harness.Name}-blue ({Versions.V1.Version}) behind the running edge keeps serving", error.Message);
    }

    [Fact]
    public async Task A_version_that_fails_the_smoke_test_is_never_switched_to_and_the_old_one_keeps_serving()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);

        var error = await FailedDeployUnderLoadAsync(harness, Versions.WrongAnswers);

        Assert.Contains("Smoke test row", error.Message);
        Assert.Contains("failed before the switch", error.Message);
    }

    /// <summary>v1 serving under load, then a deploy of <paramref name="failing"/> that must fail while v1 keeps serving.</summary>
    private async Task<DeployFailedException> FailedDeployUnderLoadAsync(DeployHarness harness, DeployVersion failing)
    {
        await harness.DeployAsync(run, Versions.V1);
        var before = await harness.ContainersAsync();

        using var load = await ProxyLoad.CreateAsync(harness.Endpoint, run.DataDirectory, harness.ApiKeys.Key);
        var loadRun = load.RunAsync(Rate / 2, TimeSpan.FromSeconds(15));
        var error = await Assert.ThrowsAsync<DeployFailedException>(() => harness.DeployAsync(run, failing));
        Assert.False(loadRun.IsCompleted, "the failed deploy must have ended while load was still being sent");
        var result = await loadRun;

        await AssertOldVersionKeptServingAsync(harness, load, result, before);
        return error;
    }

    [Fact]
    public async Task When_the_new_version_stops_answering_after_the_switch_the_edge_is_switched_back_and_Deploy_fails()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);
        await harness.DeployAsync(run, Versions.V1);
        var before = await harness.ContainersAsync();

        // A real crash between the smoke test and the switch: the new container is killed the moment its smoke test passes.
        var deployer = harness.Deployer(run, line =>
        {
            run.Log.Add(line);
            if (line.StartsWith("smoke test:", StringComparison.Ordinal))
                harness.Docker.KillContainerAsync($"{harness.Name}-green", "SIGKILL", CancellationToken.None).GetAwaiter().GetResult();
        }, verifyTimeout: TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<DeployFailedException>(() => harness.DeployAsync(run, Versions.V2, deployer: deployer));

        Assert.Contains($"After the switch to {harness.Name}-green the edge did not answer with {Versions.V2.Version}", error.Message);
        Assert.Contains($"Switched back: {harness.Name}-blue ({Versions.V1.Version})", error.Message);
        Assert.Equal([Versions.V1.Version], await harness.ServedVersionsAsync());
        Assert.Equal(before.Select(c => c.Id), (await harness.ContainersAsync()).Select(c => c.Id));
        Assert.Equal(Versions.V1.Version, (await harness.Registry.GetProductionAsync(harness.Target))!.VersionId);
        var edge = await harness.Edge.ReadActiveDescriptionAsync(CancellationToken.None);
        Assert.Equal([$"{harness.Name}-blue"], edge!.Route("fashion-mnist")!.Servers.Select(s => s.Backend));
    }

    [Fact]
    public async Task Deploy_refuses_a_version_that_did_not_pass_validate_and_starts_nothing()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);

        var error = await Assert.ThrowsAsync<DeployFailedException>(() => harness.DeployAsync(run, Versions.NotValidated));

        Assert.Contains($"Version {Versions.NotValidated.Version} did not pass Validate (min_accuracy measured 0.5 against 0.7)", error.Message);
        Assert.Empty(await harness.ContainersAsync());
        Assert.Null(harness.Edge.RunningMasterPid());
        Assert.Null(await harness.Registry.GetProductionAsync(harness.Target));
    }

    [Fact]
    public async Task Deploying_the_serving_version_again_is_a_no_op_found_from_labels_and_the_edge_description_dry_runs_change_nothing_and_asking_for_TLS_turns_it_on_without_a_switch()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);
        var first = await harness.DeployAsync(run, Versions.V1);
        var containers = await harness.ContainersAsync();
        var master = harness.Edge.RunningMasterPid();
        var config = File.GetLastWriteTimeUtc(harness.Edge.Layout.ConfigFile);
        var history = await harness.Registry.GetHistoryAsync(harness.Target);

        var again = await harness.DeployAsync(run, Versions.V1);
        var plannedDeploy = await harness.DeployAsync(run, Versions.V2, dryRun: true);
        var plannedRollback = await Assert.ThrowsAsync<ModelRegistryException>(() =>
            harness.Deployer(run).RollbackAsync(null, "0123456789abcdef", "dry", dryRun: true, CancellationToken.None));

        Assert.Equal(LocalDeployment.UnchangedAction, again.Action);
        Assert.Equal(first.Container, again.Container);
        var serving = Assert.Single(containers);
        Assert.Contains(run.Log, line => line == $"version {Versions.V1.Version} already serves on {harness.Endpoint.ToString().TrimEnd('/')} " +
                                                 $"(container {first.Container}, {serving.Id[..12]}); nothing to change");
        // No edge change (its config is not rewritten) and no promotion entry.
        Assert.Equal(config, File.GetLastWriteTimeUtc(harness.Edge.Layout.ConfigFile));
        Assert.Equal(history, await harness.Registry.GetHistoryAsync(harness.Target));
        Assert.Equal(LocalDeployment.DryRunAction, plannedDeploy.Action);
        Assert.Contains(run.Log, line => line.Contains($"dry run: would start {harness.Name}-green from {Versions.V2.Image}"));
        Assert.Contains("nothing to roll back to", plannedRollback.Message);
        Assert.Equal(containers.Select(c => c.Id), (await harness.ContainersAsync()).Select(c => c.Id));
        Assert.Equal(master, harness.Edge.RunningMasterPid());
        Assert.Equal([Versions.V1.Version], await harness.ServedVersionsAsync());
        Assert.Single(await harness.Registry.GetHistoryAsync(harness.Target));

        // Asking for TLS on a re-run of the serving version turns it on without a switch: curl trusts the printed certificate.
        var tls = await harness.DeployAsync(run, Versions.V1, deployer: harness.Deployer(run, configure: o => o with { Tls = true }));
        var ca = harness.Edge.Layout.TlsCertificateFile;
        // The key goes to curl in a header file, as a user would pass it: never on a command line that ps shows.
        using var headers = new TestSupport.TemporaryDirectory();
        await File.WriteAllTextAsync(headers.File("key.header"), $"Authorization: Bearer {harness.ApiKeys.Key.Secret}\n");
        var trusted = await new ProcessRunner().RunAsync(new ProcessSpec("curl", "-sS", "--max-time", "10", "--cacert", ca, "-H", "@" + headers.File("key.header"),
            $"https://127.0.0.1:{harness.Port}/v2/models/{harness.Model}"), CancellationToken.None);
        var plain = await new ProcessRunner().RunAsync(new ProcessSpec("curl", "-sS", "--max-time", "10", $"http://127.0.0.1:{harness.Port}/v2/models/{harness.Model}"),
            CancellationToken.None);
        Assert.Equal((LocalDeployment.UnchangedAction, first.Container), (tls.Action, tls.Container));
        Assert.Equal(harness.Edge.Layout.TlsPemFile, (await harness.Edge.ReadActiveDescriptionAsync(CancellationToken.None))!.TlsCertificateFile);
        Assert.Contains(run.Log, line => line.StartsWith($"edge TLS certificate: {ca} ", StringComparison.Ordinal));
        Assert.Equal(0, trusted.ExitCode);
        Assert.Contains(Versions.V1.Version, trusted.StandardOutput);
        Assert.NotEqual(0, plain.ExitCode);
        Assert.Equal(containers.Select(c => c.Id), (await harness.ContainersAsync()).Select(c => c.Id));
    }

    /// <summary>Runs the steady load, starts <paramref name="release"/> two seconds in, and returns when both are done,
    /// with the moment the release returned (from then on only the new version may answer).</summary>
    private static async Task<(LoadTestResult Load, LocalDeployment Release, long SwitchedAt)> UnderLoadAsync(ProxyLoad load, Func<Task<LocalDeployment>> release)
    {
        var started = Stopwatch.GetTimestamp();
        var duration = TimeSpan.FromSeconds(40);
        var loadRun = load.RunAsync(Rate, duration);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var released = await release();
        var switchedAt = Stopwatch.GetTimestamp();
        var result = await loadRun;
        // Causality, not speed: the release must have finished while load was still being sent.
        Assert.True(Stopwatch.GetElapsedTime(started, switchedAt) < duration,
            $"the release took longer than the {duration.TotalSeconds:F0} s load run, so the switch was not measured under load");
        return (result, released, switchedAt);
    }

    private static void AssertNoFailures(LoadTestResult result, ProxyLoad load)
    {
        Assert.True(result.Errors == 0 && result.Dropped == 0 && result.Abandoned == 0,
            $"{result.Errors} errors ({string.Join(", ", result.ErrorKinds.Select(k => $"{k.Key} {k.Value}"))}), {result.Dropped} dropped, " +
            $"{result.Abandoned} abandoned of {result.Requests}: {string.Join("; ", load.Failures.Take(5))}");
        Assert.True(result.Requests > 500, $"only {result.Requests} requests were sent");
    }

    private async Task AssertOldVersionKeptServingAsync(DeployHarness harness, ProxyLoad load, LoadTestResult result, IReadOnlyList<Pipeline.Docker.ContainerSummary> before)
    {
        AssertNoFailures(result, load);
        Assert.All(load.Answers, a => Assert.Equal(Versions.V1.Version, a.Version));
        Assert.Equal(before.Select(c => c.Id), (await harness.ContainersAsync()).Select(c => c.Id));
        Assert.Equal([Versions.V1.Version], await harness.ServedVersionsAsync());
        Assert.Equal(Versions.V1.Version, (await harness.Registry.GetProductionAsync(harness.Target))!.VersionId);
    }

    private void Report(string what, LoadTestResult result, ProxyLoad load, LocalDeployment release)
    {
        var line = $"{what}: {result.Requests} requests at {Rate}/s through the edge on {load.Connections} kept-alive connections, {result.Errors} failed, {result.Dropped} dropped; " +
                   $"switch {release.Switch!.SwitchMilliseconds:F0} ms (edge change to first answer of the new version), " +
                   $"{release.Switch.RequestsDuringSwitch} requests served during the switch, {release.Switch.FailedDuringSwitch} failed; p99 {result.Latency.P99.TotalMilliseconds:F1} ms";
        output.WriteLine(line);
        run.Log.Add(line);
    }
}
