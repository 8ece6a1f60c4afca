using Pipeline.Docker;
using Pipeline.ModelRegistry;
using Pipeline.ReverseProxy;
using Pipeline.Rollouts.AbTest;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>
/// Deploy and Rollback on the local Docker engine: a blue/green <see cref="BlueGreenSwitch"/> behind the HAProxy edge
/// (one port, one route per model), and the model registry's release history. Only versions that passed Validate go
/// out; re-running with the version already serving changes nothing; what serves is read from Docker labels and the
/// edge's description each time.
/// </summary>
public sealed class LocalDeployer(
    DockerClient docker, IModelRegistry registry, HaproxyEdge edge, ModelSmokeTest smoke, LocalDeployOptions options, TimeProvider time, Action<string> log)
{
    private readonly ServingImages _images = new(docker, options.ImageRepository, options.RegistryCredentials, log);

    private string Endpoint => EdgeTls.Endpoint(options).ToString().TrimEnd('/');

    /// <summary>Puts the version Validate chose (artifacts/gates/release.json) into service from the image Containerize built.</summary>
    public async Task<LocalDeployment> DeployAsync(ReleaseManifest release, ContainerImage image, string sourceRevision, string reason, bool dryRun,
        CancellationToken cancellationToken)
    {
        var version = await RequireDeployableAsync(release, image, cancellationToken);
        return await ReleaseAsync(ReleaseEventKind.Promoted, version, image.Reference, sourceRevision, reason, dryRun, cancellationToken);
    }

    /// <summary>The registry's record of the version Validate chose, refused unless it passed its gates and the image serves exactly it.</summary>
    private async Task<ModelVersion> RequireDeployableAsync(ReleaseManifest release, ContainerImage image, CancellationToken cancellationToken)
    {
        options.ThrowIfInvalid();
        var version = await registry.GetVersionAsync(release.Version, cancellationToken);
        if (!version.IsDeployable)
        {
            var failed = string.Join("; ", version.FailedGates.Select(g => $"{g.Gate} measured {g.Measured:G4} against {g.Threshold:G4}"));
            throw new DeployFailedException($"Version {version.VersionId} did not pass Validate ({(failed.Length > 0 ? failed : "no gate results")}); " +
                "only validated versions are deployed. Nothing was changed.");
        }
        if (version.Sha256 != release.Sha256)
            throw new DeployFailedException($"{ReleaseManifest.FileName} says {release.Version} has SHA-256 {release.Sha256}, the registry {version.Sha256}: " +
                "run ./build.sh Validate again. Nothing was changed.");
        if (!await _images.IsPresentAsync(image.Reference, cancellationToken))
            throw new DeployFailedException($"The image {image.Reference} recorded in {ContainerImage.FileName} is not in the Docker engine: run ./build.sh Containerize.");
        if (await _images.VersionOfAsync(image.Reference, cancellationToken) is var labelled && labelled != release.Version)
            throw new DeployFailedException($"The image {image.Reference} serves version {labelled ?? "(unlabelled)"}, but Validate chose {release.Version}: " +
                "run ./build.sh Containerize for the current release. Nothing was changed.");
        return version;
    }

    /// <summary>
    /// Deploy --strategy canary: the new version beside production, in steps with the plan's analysis between them
    /// (<see cref="LocalProgressiveRelease"/>); recorded as promoted only when every analysis passed. An aborted canary
    /// throws <see cref="CanaryAbortedException"/> with the measured values, and production is as it was.
    /// </summary>
    public async Task<LocalDeployment> CanaryAsync(ReleaseManifest release, ContainerImage image, CanaryPlan plan, ProgressiveOptions progressive,
        string sourceRevision, string reason, CancellationToken cancellationToken)
    {
        var version = await RequireDeployableAsync(release, image, cancellationToken);
        var state = await LocalDeploymentState.ReadAsync(docker, edge, options.DeploymentName, options.ModelName, cancellationToken);
        if (state.Serves(version.VersionId))
            throw new DeployFailedException($"{version.VersionId} already serves on {Endpoint}; a canary needs a new version. Nothing was changed.");
        var (outcome, serving, traffic) = await WithReferenceAsync(version, reference => new LocalProgressiveRelease(docker, edge, smoke, options, time, log)
            .CanaryAsync(state, version.VersionId, image.Reference, reference, plan, progressive, cancellationToken), cancellationToken);
        var result = Result(LocalDeployment.DeployedAction, version, image.Reference, serving, outcome.StableVersion, null) with
        {
            Canary = CanaryReport.Markdown(outcome),
            Traffic = traffic,
        };
        await RecordAsync(ReleaseEventKind.Promoted, version, sourceRevision, reason, cancellationToken);
        await result.WriteAsync(options.OutputDirectory, cancellationToken);
        return result;
    }

    /// <summary>
    /// Deploy --strategy ab: both versions serve with a fixed split for <paramref name="duration"/>, then the comparison is written
    /// (artifacts/deploy/ab-test.md). Production is not changed: <see cref="PromoteAsync"/> finishes the test.
    /// </summary>
    public async Task<AbComparison> AbTestAsync(ReleaseManifest release, ContainerImage image, int weightPercent, TimeSpan duration, ProgressiveOptions progressive,
        CancellationToken cancellationToken)
    {
        var version = await RequireDeployableAsync(release, image, cancellationToken);
        var state = await LocalDeploymentState.ReadAsync(docker, edge, options.DeploymentName, options.ModelName, cancellationToken);
        if (state.Serves(version.VersionId))
            throw new DeployFailedException($"{version.VersionId} already serves on {Endpoint}; an A/B test needs a new version. Nothing was changed.");
        var (comparison, traffic) = await WithReferenceAsync(version, reference => new LocalProgressiveRelease(docker, edge, smoke, options, time, log)
            .AbTestAsync(state, version.VersionId, image.Reference, reference, weightPercent, duration, progressive, cancellationToken), cancellationToken);
        Directory.CreateDirectory(options.OutputDirectory);
        await Pipeline.IO.AtomicFile.WriteAllTextAsync(Path.Combine(options.OutputDirectory, AbReportFileName),
            $"# A/B test of {options.ModelName} on {Endpoint}\n\n{comparison.Markdown()}" +
            (traffic is null ? "" : $"\nSynthetic traffic: {traffic.Describe()}.\n") +
            $"\nBoth versions keep serving. Finish with `./build.sh Promote --to-version {comparison.B.Measurement.Version}` (or `{comparison.A.Measurement.Version}`).\n",
            cancellationToken);
        return comparison;
    }

    public const string AbReportFileName = "ab-test.md";

    /// <summary>Promote --to-version: the version an A/B test left serving takes the whole route; the registry records it in production.</summary>
    public async Task<LocalDeployment> PromoteAsync(string toVersion, string sourceRevision, string reason, CancellationToken cancellationToken)
    {
        options.ThrowIfInvalid();
        var version = await registry.GetVersionAsync(toVersion, cancellationToken);
        if (!version.IsDeployable)
            throw new DeployFailedException($"Version {version.VersionId} did not pass Validate; only validated versions are promoted. Nothing was changed.");
        var state = await LocalDeploymentState.ReadAsync(docker, edge, options.DeploymentName, options.ModelName, cancellationToken);
        var previous = state.Route(options.ModelName)?.Servers.FirstOrDefault(s => s.Version != toVersion)?.Version;
        var serving = await new LocalProgressiveRelease(docker, edge, smoke, options, time, log)
            .PromoteAsync(state, toVersion, cancellationToken);
        var result = Result(LocalDeployment.DeployedAction, version, serving.Name, serving, previous, null);
        await RecordAsync(ReleaseEventKind.Promoted, version, sourceRevision, reason, cancellationToken);
        await result.WriteAsync(options.OutputDirectory, cancellationToken);
        return result;
    }

    private async Task<T> WithReferenceAsync<T>(ModelVersion version, Func<string, Task<T>> use, CancellationToken cancellationToken)
    {
        var reference = Path.Combine(options.OutputDirectory, $"reference-{ImageTags.FromVersion(version.VersionId)}.onnx");
        Directory.CreateDirectory(options.OutputDirectory);
        await registry.ExportBlobAsync(version.VersionId, reference, cancellationToken);
        try
        {
            return await use(reference);
        }
        finally
        {
            File.Delete(reference);
        }
    }

    private async Task RecordAsync(ReleaseEventKind kind, ModelVersion version, string sourceRevision, string reason, CancellationToken cancellationToken)
    {
        var recorded = kind == ReleaseEventKind.Promoted
            ? await registry.PromoteAsync(options.Target, version.VersionId, reason, sourceRevision, cancellationToken)
            : await registry.RollbackAsync(options.Target, version.VersionId, reason, sourceRevision, cancellationToken);
        if (recorded.RecordedEvent is { } e)
            log($"model registry: {e.Kind} {e.Version} in '{options.Target}' at {e.Time:u} (was {e.PreviousVersion ?? "none"}; revision {e.SourceRevision ?? "unknown"}; {e.Reason})");
    }

    /// <summary>Puts the previous production version back (or <paramref name="toVersion"/>, which must have been in production here).</summary>
    public async Task<LocalDeployment> RollbackAsync(string? toVersion, string sourceRevision, string reason, bool dryRun, CancellationToken cancellationToken)
    {
        options.ThrowIfInvalid();
        var production = await registry.GetProductionAsync(options.Target, cancellationToken);
        var history = await registry.GetHistoryAsync(options.Target, cancellationToken);
        var target = RollbackTarget.Resolve(new EnvironmentState(options.Environment, production?.VersionId, history),
            string.IsNullOrWhiteSpace(toVersion) ? null : toVersion.Trim(), RollbackTarget.Sha256Lookup(await registry.ListVersionsAsync(cancellationToken)));
        var version = await registry.GetVersionAsync(target, cancellationToken);
        var image = dryRun ? _images.ReferenceFor(target, version.Sha256) : await _images.EnsureAsync(target, version.Sha256, cancellationToken);
        return await ReleaseAsync(ReleaseEventKind.RolledBack, version, image, sourceRevision, reason, dryRun, cancellationToken);
    }

    private async Task<LocalDeployment> ReleaseAsync(ReleaseEventKind kind, ModelVersion version, string image, string sourceRevision, string reason,
        bool dryRun, CancellationToken cancellationToken)
    {
        var state = await LocalDeploymentState.ReadAsync(docker, edge, options.DeploymentName, options.ModelName, cancellationToken);
        // One edge port routes each model to one deployment: other models get routes of their own beside it, but this
        // model's route belonging to another deployment would move that deployment's traffic here.
        if (state.EdgeRunning && state.Route(options.ModelName)?.Servers.FirstOrDefault(s => !s.Backend.StartsWith(options.DeploymentName + "-", StringComparison.Ordinal)) is { } other)
            throw new DeployFailedException(
                $"The endpoint {Endpoint} routes {options.ModelName} to another deployment ({other.Backend}); deploying there would take its traffic. " +
                $"Give this deployment its own endpoint with --local-port (e.g. --local-port {options.ListenPort + 1}). Nothing was changed.");
        var problems = LocalEdgePlan.Problems(options, state.EdgeRunning ? state.Edge : null);
        if (problems.Count > 0)
            throw new DeployFailedException($"The edge cannot take this deployment ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n- " +
                string.Join("\n- ", problems) + "\nNothing was changed.");
        var unchanged = state.Serves(version.VersionId);
        if (dryRun)
        {
            Plan(kind, version, image, state, unchanged);
            return Result(LocalDeployment.DryRunAction, version, image, state.Active, state.Active?.Version, null);
        }

        LocalDeployment result;
        if (unchanged)
        {
            // No container start or stop; the registry records no promotion since production already is this version.
            await ReconcileEdgeAsync(state, cancellationToken);
            log($"version {version.VersionId} already serves on {Endpoint} (container {state.Active!.Name}, {ShortId(state.Active.ContainerId)}); nothing to change");
            result = Result(LocalDeployment.UnchangedAction, version, image, state.Active, null, null);
        }
        else
        {
            if (options.Tls) await EnsureCertificateAsync(cancellationToken);
            var reference = Path.Combine(options.OutputDirectory, $"reference-{ImageTags.FromVersion(version.VersionId)}.onnx");
            Directory.CreateDirectory(options.OutputDirectory);
            await registry.ExportBlobAsync(version.VersionId, reference, cancellationToken);
            try
            {
                var switched = await new BlueGreenSwitch(docker, edge, smoke, options, log).RunAsync(state, version.VersionId, image, reference, cancellationToken);
                var action = kind == ReleaseEventKind.Promoted ? LocalDeployment.DeployedAction : LocalDeployment.RolledBackAction;
                result = Result(action, version, image, switched.Serving, switched.Replaced?.Version, switched.Measurement);
            }
            finally
            {
                File.Delete(reference);
            }
        }

        // Recorded after the switch, and also when nothing needed switching: a run that switched but failed to record is completed here.
        await RecordAsync(kind, version, sourceRevision, reason, cancellationToken);
        await result.WriteAsync(options.OutputDirectory, cancellationToken);
        return result;
    }

    /// <summary>
    /// The serving version's route with this run's gRPC port, TLS and body limit: a re-run that changes only those gets
    /// them without a switch (a reload of the edge). Nothing happens when the edge already runs them.
    /// </summary>
    private async Task ReconcileEdgeAsync(LocalDeploymentState state, CancellationToken cancellationToken)
    {
        var pem = options.Tls ? await EnsureCertificateAsync(cancellationToken) : null;
        var route = state.Route(options.ModelName)!;
        var desired = LocalEdgePlan.Edge(options, state.Edge, pem).WithRoute(LocalEdgePlan.Route(options, route.Servers));
        if (desired.Equals(state.Edge)) return;
        await edge.ApplyAsync(desired, cancellationToken);
        log($"the edge now serves {Endpoint}{(desired.Route(options.ModelName)!.GrpcListenPort is { } grpc ? $" and gRPC 127.0.0.1:{grpc}" : "")} as asked");
    }

    /// <summary>The edge's certificate (generated once, reused while valid), its path printed for clients to trust.</summary>
    private async Task<string> EnsureCertificateAsync(CancellationToken cancellationToken)
    {
        var pem = await EdgeCertificate.EnsureAsync(edge.Layout, time, cancellationToken);
        log($"edge TLS certificate: {edge.Layout.TlsCertificateFile} (self-signed for 127.0.0.1 and localhost; " +
            $"curl --cacert {edge.Layout.TlsCertificateFile} {Endpoint}/v2/health/ready)");
        return pem;
    }

    private void Plan(ReleaseEventKind kind, ModelVersion version, string image, LocalDeploymentState state, bool unchanged)
    {
        var verb = kind == ReleaseEventKind.Promoted ? "promote" : "roll back to";
        if (unchanged)
        {
            log($"dry run: {version.VersionId} already serves on {Endpoint} from {state.Active!.Name}; nothing would change except recording it in '{options.Environment}' if missing");
            return;
        }
        var name = $"{options.DeploymentName}-{DeploymentLabels.Next(state.Active?.Color)}";
        log($"dry run: would start {name} from {image} ({version.VersionId}, SHA-256 {version.Sha256[..12]}…), wait until ready, smoke-test {options.SmokeSamples} test images against it");
        var how = !state.EdgeRunning ? "start the edge" : state.Route(options.ModelName) is null ? "add a route (reload) to the edge" : "switch the edge's route at run time";
        log($"dry run: would {how} on {Endpoint} (gRPC 127.0.0.1:{options.GrpcListenPort}) so /v2/models/{options.ModelName} goes to {name}, replacing {state.Describe()}");
        foreach (var old in state.Containers.Where(c => c.Name != name))
            log($"dry run: would then stop and remove {old.Name} ({old.Version})");
        log($"dry run: would {verb} {version.VersionId} in '{options.Environment}' in the model registry. Nothing was changed.");
    }

    private static string ShortId(string containerId) => containerId[..Math.Min(12, containerId.Length)];

    private LocalDeployment Result(string action, ModelVersion version, string image, ServingSlot? serving, string? previous, SwitchMeasurement? measurement) => new(
        action, options.Environment, Endpoint, version.ModelName, version.VersionId, version.Sha256, image,
        serving?.Name, serving?.Color, serving?.HostPort is { } port ? $"http://127.0.0.1:{port}" : null, previous, time.GetUtcNow(), measurement);
}
