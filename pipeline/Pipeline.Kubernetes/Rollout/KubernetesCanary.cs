using Pipeline.Kubernetes.Api;
using Pipeline.Kubernetes.Manifests;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>
/// The canary side of a release on a cluster without a service mesh: scales the canary Deployment
/// (<see cref="CanaryManifest"/>) so its pods take a share of the Service's traffic next to the stable pods, waits
/// until they are ready, and scales it to zero when the canary is aborted or promoted (as Argo Rollouts leaves a
/// scaled-down ReplicaSet, so the history stays readable).
/// </summary>
public sealed class KubernetesCanary(IKubernetesApi api, TimeProvider time, Action<string> log)
{
    private readonly RolloutWaiter _waiter = new(api, time, log);

    /// <summary>The stable Deployment's ready pods (the autoscaler may have changed the count), at least one.</summary>
    public async Task<int> StableReplicasAsync(KubernetesRelease release, CancellationToken cancellationToken)
    {
        var stable = await api.GetAsync(ResourceType.Deployments, release.Namespace, release.Name, cancellationToken)
            ?? throw new KubernetesDeployException(
                $"There is no deployment {release.Namespace}/{release.Name} to run a canary beside: deploy a first version with --strategy blue-green.", rolledBack: false);
        return (int)Math.Max(1, stable.OptionalNumber("status", "readyReplicas") ?? stable.OptionalNumber("spec", "replicas") ?? release.Replicas);
    }

    /// <summary>The version the stable Deployment's pod template runs, or null when there is none.</summary>
    public async Task<string?> StableVersionAsync(KubernetesRelease release, CancellationToken cancellationToken) =>
        (await api.GetAsync(ResourceType.Deployments, release.Namespace, release.Name, cancellationToken))
            .Text("spec", "template", "metadata", "annotations", ManifestGenerator.ModelVersionAnnotation);

    /// <summary>Applies the canary Deployment of <paramref name="canary"/> with <paramref name="replicas"/> pods and waits until they are ready (or, for zero, gone).</summary>
    public async Task ScaleAsync(KubernetesRelease canary, int replicas, KubernetesDeployOptions options, CancellationToken cancellationToken)
    {
        // The canary pods mount the release's API key Secret; a stable Deployment from before keys existed has none yet.
        if (canary.ApiKey is { } key && replicas > 0)
            await api.ApplyAsync(KubernetesJson.ToJson(ApiKeysSecret.Create(canary, key)), options.FieldManager, force: true, dryRun: false, cancellationToken);
        var manifest = KubernetesJson.ToJson(CanaryManifest.Create(canary, replicas));
        await api.ApplyAsync(manifest, options.FieldManager, force: true, dryRun: false, cancellationToken);
        var name = CanaryManifest.NameFor(canary.Name);
        log($"deployment.apps/{name}: {replicas} pod(s) of {canary.ModelVersion}");
        var outcome = await _waiter.WaitAsync(canary.Namespace, name, options.RolloutTimeout, options.PollInterval, cancellationToken);
        if (!outcome.Succeeded)
        {
            var diagnostics = await RolloutDiagnostics.DescribeAsync(api, canary.Namespace, name, cancellationToken);
            throw new KubernetesDeployException($"The canary {name} ({canary.ModelVersion}) did not become ready: {outcome.Message}.\n{diagnostics}", rolledBack: false);
        }
    }
}
