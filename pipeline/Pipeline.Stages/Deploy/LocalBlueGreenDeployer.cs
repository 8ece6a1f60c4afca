using Pipeline.Docker;
using Pipeline.ModelRegistry;
using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>
/// Deploy and Rollback on the local Docker engine: a blue/green <see cref="BlueGreenSwitch"/> behind the HAProxy edge
/// (one port, one route per model), and the model registry's release history. Only versions that passed Validate go
/// out; re-running with the version already serving changes nothing; what serves is read from Docker labels and the
/// edge's description each time.
/// </summary>
public sealed class LocalBlueGreenDeployer(
    DockerClient docker, IModelRegistry registry, HaproxyEdge edge, ModelSmokeTest smoke, LocalDeployOptions options, TimeProvider time, Action<string> log)
{
    private readonly ServingImages _images = new(docker, options.ImageRepository, options.RegistryCredentials, log);

    private string Endpoint => $"http://127.0.0.1:{options.ListenPort}";

    /// <summary>Puts the version Validate chose (artifacts/gates/release.json) into service from the image Containerize built.</summary>
    public async Task<LocalDeployment> DeployAsync(ReleaseManifest release, ContainerImage image, string sourceRevision, string reason, bool dryRun,
        CancellationToken cancellationToken)
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
        return await ReleaseAsync(ReleaseEventKind.Promoted, version, image.Reference, sourceRevision, reason, dryRun, cancellationToken);
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
        var unchanged = state.Serves(version.VersionId);
        if (dryRun)
        {
            Plan(kind, version, image, state, unchanged);
            return Result(LocalDeployment.DryRunAction, version, image, state.Active, state.Active?.Version, null);
        }

        LocalDeployment result;
        if (unchanged)
        {
            // No edge change, no container start or stop; the registry records no promotion since production already is this version.
            log($"version {version.VersionId} already serves on {Endpoint} (container {state.Active!.Name}, {ShortId(state.Active.ContainerId)}); nothing to change");
            result = Result(LocalDeployment.UnchangedAction, version, image, state.Active, null, null);
        }
        else
        {
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
        var recorded = kind == ReleaseEventKind.Promoted
            ? await registry.PromoteAsync(options.Target, version.VersionId, reason, sourceRevision, cancellationToken)
            : await registry.RollbackAsync(options.Target, version.VersionId, reason, sourceRevision, cancellationToken);
        if (recorded.RecordedEvent is { } e)
            log($"model registry: {e.Kind} {e.Version} in '{options.Target}' at {e.Time:u} (was {e.PreviousVersion ?? "none"}; revision {e.SourceRevision ?? "unknown"}; {e.Reason})");
        await result.WriteAsync(options.OutputDirectory, cancellationToken);
        return result;
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
        log($"dry run: would {how} on {Endpoint} so /v2/models/{options.ModelName} goes to {name}, replacing {state.Describe()}");
        foreach (var old in state.Containers.Where(c => c.Name != name))
            log($"dry run: would then stop and remove {old.Name} ({old.Version})");
        log($"dry run: would {verb} {version.VersionId} in '{options.Environment}' in the model registry. Nothing was changed.");
    }

    private static string ShortId(string containerId) => containerId[..Math.Min(12, containerId.Length)];

    private LocalDeployment Result(string action, ModelVersion version, string image, ServingSlot? serving, string? previous, SwitchMeasurement? measurement) => new(
        action, options.Environment, Endpoint, version.ModelName, version.VersionId, version.Sha256, image,
        serving?.Name, serving?.Color, serving?.HostPort is { } port ? $"http://127.0.0.1:{port}" : null, previous, time.GetUtcNow(), measurement);
}
