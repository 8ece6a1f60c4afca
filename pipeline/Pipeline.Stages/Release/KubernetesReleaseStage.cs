using Pipeline.Kubernetes.Api;
using Pipeline.Kubernetes.Manifests;
using Pipeline.Kubernetes.Rollout;
using Pipeline.ModelRegistry;
using Pipeline.Processes;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <param name="Environment">The registry's name for the cluster's environment (e.g. "kubernetes").</param>
/// <param name="KindCluster">When set, the image is first loaded into this kind cluster's nodes (they cannot reach a loopback registry).</param>
public sealed record KubernetesReleaseRequest(
    string Environment,
    string Namespace,
    int Replicas,
    KubernetesDeployOptions Options,
    string SourceRevision,
    string Reason,
    string? KindCluster = null)
{
    /// <summary>The key the pods accept (the Secret <c>&lt;deployment&gt;-api-keys</c>); null deploys them without authentication.</summary>
    public Pipeline.IO.ServingApiKey? ApiKey { get; init; }
}

/// <summary>
/// Deploy and Rollback on a cluster, with the model registry kept in step: only a version that passed Validate goes
/// out, and every successful rollout or rollback is recorded with time, source revision and reason.
/// </summary>
public sealed class KubernetesReleaseStage(IKubernetesApi api, FileSystemModelRegistry registry, IProcessRunner processes, TimeProvider time, Action<string> log)
{
    private readonly KubernetesDeployer _deployer = new(api, time, log);

    public async Task<KubernetesDeployResult> DeployAsync(ReleaseManifest release, ContainerImage image, KubernetesReleaseRequest request, CancellationToken cancellationToken)
    {
        var registered = await RequireDeployableAsync(release.Version, cancellationToken);
        // By digest: a tag can be moved after the image was tested. Except on kind: its nodes get the image by
        // `kind load` (docker save, so no registry manifest digest) and cannot pull, so there the model-unique tag is used.
        var pinned = request.KindCluster is null ? image.DigestReference() : image.Reference;
        if (request.KindCluster is { } cluster && !request.Options.DryRun) await LoadIntoKindAsync(image.Reference, cluster, cancellationToken);

        var result = await _deployer.DeployAsync(
            new KubernetesRelease(release.ModelName, release.Version, release.Sha256, pinned, request.Namespace, request.Replicas) { ApiKey = request.ApiKey },
            request.Options, cancellationToken);
        if (!result.DryRun && registered)
        {
            await registry.PromoteAsync(Target(request, release.ModelName), release.Version, request.Reason, request.SourceRevision, cancellationToken);
            log($"registry: {release.Version} is in production in {Target(request, release.ModelName)}");
        }
        return result;
    }

    /// <summary>
    /// Deploy as a canary beside the version in production: replica-ratio steps with <paramref name="plan"/>'s analysis
    /// between them (<see cref="KubernetesCanaryTraffic"/>), promoted and recorded when every step passes; otherwise the
    /// cluster is put back and <see cref="CanaryAbortedException"/> carries the measured values.
    /// </summary>
    public async Task<CanaryOutcome> CanaryAsync(ReleaseManifest release, ContainerImage image, KubernetesReleaseRequest request, CanaryPlan plan,
        IVersionMetrics metrics, CancellationToken cancellationToken)
    {
        var registered = await RequireDeployableAsync(release.Version, cancellationToken);
        var pinned = request.KindCluster is null ? image.DigestReference() : image.Reference;
        if (request.KindCluster is { } cluster) await LoadIntoKindAsync(image.Reference, cluster, cancellationToken);
        var target = new KubernetesRelease(release.ModelName, release.Version, release.Sha256, pinned, request.Namespace, request.Replicas) { ApiKey = request.ApiKey };
        var canary = new KubernetesCanary(api, time, log);
        var stableVersion = await canary.StableVersionAsync(target, cancellationToken) ?? throw new InvalidOperationException(
            $"{request.Namespace}/{target.Name} does not exist yet, so there is no stable version for a canary to be compared with: " +
            "deploy the first version with --strategy blue-green.");
        if (stableVersion == release.Version)
            throw new InvalidOperationException($"{release.Version} already serves on {request.Namespace}/{target.Name}; a canary needs a new version. Nothing was changed.");
        var stableReplicas = await canary.StableReplicasAsync(target, cancellationToken);
        log($"canary {release.Version} beside {stableVersion} on {request.Namespace}/{target.Name} ({stableReplicas} stable pod(s)): " +
            "without a service mesh the traffic share follows the pod count behind the Service, so each step's share is approximate");
        var traffic = new KubernetesCanaryTraffic(canary, _deployer, target, stableVersion, stableReplicas, request.Options);
        var outcome = await new CanaryController(traffic, metrics, time, log).RunAsync(plan, stableVersion, release.Version, cancellationToken);
        if (!outcome.Promoted) throw CanaryAbortedException.For(outcome, $"{request.Namespace}/{target.Name}", null);
        if (registered)
        {
            await registry.PromoteAsync(Target(request, release.ModelName), release.Version, request.Reason, request.SourceRevision, cancellationToken);
            log($"registry: {release.Version} is in production in {Target(request, release.ModelName)}");
        }
        return outcome;
    }

    public async Task<KubernetesDeployResult> RollbackAsync(string modelName, string? toVersion, KubernetesReleaseRequest request, CancellationToken cancellationToken)
    {
        var result = await _deployer.RollbackAsync(KubernetesRelease.NameFor(modelName), request.Namespace, toVersion, request.Options, cancellationToken);
        if (result.DryRun || result.ModelVersion is not { } version) return result;
        try
        {
            await registry.RollbackAsync(Target(request, modelName), version, request.Reason, request.SourceRevision, cancellationToken);
            log($"registry: rolled back {Target(request, modelName)} to {version}");
        }
        catch (ModelRegistryException e) when (e.Error is ModelRegistryError.VersionNotFound or ModelRegistryError.NothingToRollBack)
        {
            // The cluster is what serves; a registry on another machine (a fresh CI runner) must not undo a rollback that worked.
            log($"warning: the cluster runs {version} again, but the model registry at {registry.RootDirectory} could not record it: {e.Message}");
        }
        return result;
    }

    /// <summary>The registry keeps production per cluster (its API server, whatever context names it) and namespace of the environment.</summary>
    private ReleaseTarget Target(KubernetesReleaseRequest request, string model) =>
        ReleaseTarget.ForCluster(request.Environment, api.Server, request.Namespace) with { Model = model };

    private async Task<bool> RequireDeployableAsync(string version, CancellationToken cancellationToken)
    {
        try
        {
            var registered = await registry.GetVersionAsync(version, cancellationToken);
            if (!registered.IsDeployable)
                throw new InvalidOperationException($"Version {version} did not pass Validate, so it is not deployed. Run ./build.sh Validate and deploy what it registers.");
            return true;
        }
        catch (ModelRegistryException e) when (e.Error == ModelRegistryError.VersionNotFound)
        {
            // Validate wrote release.json only for a version that passed every gate; the registry is simply elsewhere.
            log($"warning: the model registry at {registry.RootDirectory} does not hold {version} (Validate ran on another machine); " +
                "deploying on the strength of artifacts/gates/release.json, and the release is not recorded. Point --registry-dir at shared storage to record it.");
            return false;
        }
    }

    private async Task LoadIntoKindAsync(string image, string cluster, CancellationToken cancellationToken)
    {
        log($"loading {image} into the nodes of kind cluster '{cluster}'");
        ProcessResult loaded;
        try
        {
            loaded = await processes.RunAsync(new ProcessSpec("kind", "load", "docker-image", image, "--name", cluster), cancellationToken);
        }
        catch (CommandNotFoundException e)
        {
            throw new InvalidOperationException($"--kind-cluster {cluster} needs the kind command on PATH (https://kind.sigs.k8s.io); it was not found.", e);
        }
        if (!loaded.Succeeded)
            throw new InvalidOperationException($"kind load docker-image {image} --name {cluster} failed with exit code {loaded.ExitCode}: {loaded.ErrorTail()}");
    }
}
