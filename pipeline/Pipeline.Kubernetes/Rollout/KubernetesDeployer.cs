using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;
using Pipeline.Kubernetes.Manifests;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>
/// Deploy and Rollback for a cluster: server-side apply of the release's objects, a wait judged as
/// `kubectl rollout status` judges it, and on failure an automatic `kubectl rollout undo` to the revision that was
/// running before, ending in an error that says what went wrong.
/// </summary>
public sealed class KubernetesDeployer(IKubernetesApi api, TimeProvider time, Action<string> log)
{
    private readonly RolloutWaiter waiter = new(api, time, log);

    public async Task<KubernetesDeployResult> DeployAsync(KubernetesRelease release, KubernetesDeployOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(options);
        var manifests = ManifestGenerator.Generate(release).Select(KubernetesJson.ToJson).ToList();
        if (options.DryRun)
        {
            var planned = await DryRunAsync(release, manifests, options, cancellationToken);
            return planned with { ManifestFiles = await WriteManifestsAsync(manifests, options, cancellationToken) };
        }

        var before = await api.GetAsync(ResourceType.Deployments, release.Namespace, release.Name, cancellationToken);
        var previousRevision = before?.Text("metadata", "annotations", RevisionHistory.RevisionAnnotation);
        if (before is not null && await AlreadyServesAsync(before, release, manifests, options, cancellationToken))
        {
            log($"version {release.ModelVersion} already serves on {release.Namespace}/{release.Name} (revision {previousRevision ?? "unknown"}); nothing to change");
            return await ResultAsync(release.Namespace, release.Name, await WriteManifestsAsync(manifests, options, cancellationToken), cancellationToken) with { Unchanged = true };
        }
        log($"Applying {release.Name} version {release.ModelVersion} to {release.Namespace} on {api.Server}" +
            (previousRevision is null ? " (first deployment)" : $" (replacing revision {previousRevision})"));
        if (before is not null && await ReplicasHandover.EnsureBeforeApplyAsync(api, before, release.Replicas, options.FieldManager, cancellationToken))
        {
            log($"spec.replicas of {release.Name} handed over to field manager {ReplicasHandover.ManagerFor(options.FieldManager)}; the autoscaler owns the count from now on");
        }

        foreach (var manifest in manifests)
        {
            await api.ApplyAsync(manifest, options.FieldManager, force: true, dryRun: false, cancellationToken);
            log($"applied {manifest.Text("kind")}/{manifest.Name()}");
        }

        if (before is null)
        {
            await ReplicasHandover.SetInitialAsync(api, release.Namespace, release.Name, release.Replicas, options.FieldManager, cancellationToken);
        }

        var outcome = await waiter.WaitAsync(release.Namespace, release.Name, options.RolloutTimeout, options.PollInterval, cancellationToken);
        // Written only now: the files show what runs, never a version that failed and was undone.
        if (outcome.Succeeded) return await ResultAsync(release.Namespace, release.Name, await WriteManifestsAsync(manifests, options, cancellationToken), cancellationToken);

        var diagnostics = await RolloutDiagnostics.DescribeAsync(api, release.Namespace, release.Name, cancellationToken);
        var failure = $"The rollout of {release.Name} version {release.ModelVersion} failed: {outcome.Message}.";
        if (before is null || previousRevision is null)
        {
            throw new KubernetesDeployException($"{failure} There is no earlier revision to roll back to.\n{diagnostics}", rolledBack: false);
        }

        log($"{failure} Rolling back to revision {previousRevision}.");
        var undo = await UndoToAsync(release.Namespace, release.Name, r => r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == previousRevision,
            options, cancellationToken);
        var rollback = await waiter.WaitAsync(release.Namespace, release.Name, options.RollbackTimeout, options.PollInterval, cancellationToken);
        var rollbackText = rollback.Succeeded
            ? $"Rolled back to {undo}, which is serving again."
            : $"Rolled back to {undo}, but that rollout did not finish either: {rollback.Message}.";
        throw new KubernetesDeployException($"{failure} {rollbackText}\n{diagnostics}", rolledBack: true);
    }

    /// <summary>Back to the previous revision, or to the newest revision whose pods carry <paramref name="toVersion"/>.</summary>
    public async Task<KubernetesDeployResult> RollbackAsync(string name, string @namespace, string? toVersion, KubernetesDeployOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = toVersion is null ? "the previous revision" : $"version {toVersion}";
        log($"{(options.DryRun ? "Dry run: would roll back" : "Rolling back")} deployment {@namespace}/{name} to {target}");
        var undo = await UndoToAsync(@namespace, name, toVersion is null ? null : r => r.ModelVersion == toVersion, options, cancellationToken);
        if (options.DryRun) return new KubernetesDeployResult(name, @namespace, undo.Number, undo.ModelVersion, true, [$"would roll back to {undo}"], []);
        var outcome = await waiter.WaitAsync(@namespace, name, options.RolloutTimeout, options.PollInterval, cancellationToken);
        if (!outcome.Succeeded)
        {
            var diagnostics = await RolloutDiagnostics.DescribeAsync(api, @namespace, name, cancellationToken);
            throw new KubernetesDeployException($"The rollback of {name} to {undo} did not finish: {outcome.Message}.\n{diagnostics}", rolledBack: true);
        }

        return await ResultAsync(@namespace, name, [], cancellationToken);
    }

    /// <summary>
    /// `kubectl rollout undo`: the chosen ReplicaSet's template (newest match; without a predicate the second-newest
    /// revision) patched into the Deployment. Returns which revision that was.
    /// </summary>
    private async Task<Revision> UndoToAsync(string @namespace, string name, Func<Revision, bool>? choose, KubernetesDeployOptions options, CancellationToken cancellationToken)
    {
        var deployment = await api.GetAsync(ResourceType.Deployments, @namespace, name, cancellationToken)
            ?? throw new KubernetesDeployException($"There is no deployment {@namespace}/{name} to roll back.", rolledBack: false);
        var revisions = await RevisionHistory.ListAsync(api, deployment, cancellationToken);
        var available = revisions.Count == 0 ? "none" : string.Join(", ", revisions.Select(r => r.ToString()));
        Revision? chosen = choose is null
            ? revisions.Count >= 2 ? revisions[^2] : null
            : revisions.LastOrDefault(choose);
        if (chosen is null)
        {
            throw new KubernetesDeployException(
                choose is null
                    ? $"No rollout history to go back to for {@namespace}/{name}: it has {revisions.Count} revision(s) ({available})."
                    : $"No revision of {@namespace}/{name} matches. Available revisions: {available}.",
                rolledBack: false);
        }

        if (options.DryRun)
        {
            log($"would patch deployment.apps/{name} with the template of {chosen}; nothing was changed");
            return chosen;
        }

        if (RevisionHistory.SameTemplate(chosen.ReplicaSet, deployment))
        {
            log($"skipped rollback (current template already matches {chosen})");
        }
        else
        {
            await api.JsonPatchAsync(ResourceType.Deployments, @namespace, name, RevisionHistory.UndoPatch(deployment, chosen.ReplicaSet), options.FieldManager, cancellationToken);
            log($"deployment.apps/{name} rolled back to {chosen}");
        }

        // Also when the template already matched: an earlier undo may have left the labels naming the undone version.
        var relabelled = await ServingVersionMetadata.AlignAsync(api, @namespace, name, RevisionHistory.TemplateWithoutHash(chosen.ReplicaSet), options.FieldManager, cancellationToken);
        if (relabelled.Count > 0) log($"labels and annotations of {string.Join(", ", relabelled)} now name version {chosen.ModelVersion ?? "unknown"}");
        return chosen;
    }

    /// <summary>Whether the finished rollout already serves this version and applying the objects would change none of them
    /// (asked of the API server with a dry-run apply, so defaults it fills in do not count as changes).</summary>
    private async Task<bool> AlreadyServesAsync(JsonObject deployment, KubernetesRelease release, IReadOnlyList<JsonObject> manifests,
        KubernetesDeployOptions options, CancellationToken cancellationToken)
    {
        if (deployment.Text("spec", "template", "metadata", "annotations", ManifestGenerator.ModelVersionAnnotation) != release.ModelVersion ||
            !RolloutStatus.Evaluate(deployment).Done)
            return false;
        foreach (var manifest in manifests)
        {
            var live = await api.GetAsync(TypeOf(manifest), release.Namespace, manifest.Name(), cancellationToken);
            if (live is null) return false;
            var proposed = await api.ApplyAsync(manifest, options.FieldManager, force: true, dryRun: true, cancellationToken);
            if (ObjectDiff.Compare(live, proposed).Count > 0) return false;
        }
        return true;
    }

    private async Task<KubernetesDeployResult> DryRunAsync(KubernetesRelease release, IReadOnlyList<JsonObject> manifests, KubernetesDeployOptions options,
        CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        foreach (var manifest in manifests)
        {
            var live = await api.GetAsync(TypeOf(manifest), release.Namespace, manifest.Name(), cancellationToken);
            var proposed = await api.ApplyAsync(manifest, options.FieldManager, force: true, dryRun: true, cancellationToken);
            var handover = live is not null && manifest.Text("kind") == ResourceType.Deployments.Kind && !ReplicasHandover.OwnedByOthers(live, options.FieldManager);
            // The deploy hands the count over before it applies, so the count stays; the dry run cannot chain both.
            if (handover && live.At("spec", "replicas") is { } replicas && proposed["spec"] is JsonObject spec) spec["replicas"] = replicas.DeepClone();
            // A Secret's differences would print its values (base64 is no protection): say only whether it changes.
            var secret = manifest.Text("kind") == ResourceType.Secrets.Kind;
            var differences = ObjectDiff.Compare(live, proposed);
            if (secret && differences.Count > 0) differences = ["~ data: changed (values not shown)"];
            if (handover) differences = [.. differences, $"= spec.replicas: {live.Number("spec", "replicas")} (stays; handed over to the HorizontalPodAutoscaler)"];
            var subject = $"{manifest.Text("kind")}/{manifest.Name()}";
            var header = live is null ? $"{subject}: would be created" : $"{subject}: {(differences.Count == 0 ? "unchanged" : "would change")}";
            changes.Add(header);
            log(header);
            foreach (var line in live is null ? [] : differences)
            {
                changes.Add("  " + line);
                log("  " + line);
            }
        }

        return new KubernetesDeployResult(release.Name, release.Namespace, null, release.ModelVersion, true, changes, []);
    }

    /// <summary>
    /// The manifests as applied (or, for a dry run, as proposed, in *.dry-run.yaml files) into the manifest directory, if
    /// one is set; never the Secret. The directory (artifacts/deploy) is uploaded as a CI artifact and read by people, and
    /// the Secret is applied through the API only, so its key exists on the cluster and in the pipeline's 0600 key file
    /// and nowhere else. The Deployment's volume still names it, so the files show that it exists.
    /// </summary>
    private static async Task<IReadOnlyList<string>> WriteManifestsAsync(IReadOnlyList<JsonObject> manifests, KubernetesDeployOptions options, CancellationToken cancellationToken) =>
        options.ManifestDirectory is { } directory
            ? await ManifestWriter.WriteAsync(manifests.Where(m => m.Text("kind") != ResourceType.Secrets.Kind), directory, options.DryRun, cancellationToken)
            : [];

    private static ResourceType TypeOf(JsonObject manifest) =>
        ResourceType.ForObject(manifest.Text("apiVersion") ?? "", manifest.Text("kind") ?? "");

    private async Task<KubernetesDeployResult> ResultAsync(string @namespace, string name, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var deployment = await api.GetAsync(ResourceType.Deployments, @namespace, name, cancellationToken);
        var revision = long.TryParse(deployment.Text("metadata", "annotations", RevisionHistory.RevisionAnnotation), out var r) ? r : (long?)null;
        var version = deployment.Text("spec", "template", "metadata", "annotations", ManifestGenerator.ModelVersionAnnotation);
        log($"{@namespace}/{name} is serving version {version ?? "unknown"} (revision {revision?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})");
        return new KubernetesDeployResult(name, @namespace, revision, version, false, [], files);
    }
}
