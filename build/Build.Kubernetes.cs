using Pipeline.Engine;
using Pipeline.Kubernetes;
using Pipeline.Kubernetes.Configuration;
using Pipeline.Kubernetes.Manifests;
using Pipeline.Kubernetes.Rollout;
using Pipeline.Processes;
using Pipeline.Stages;

/// <summary>Deploy and Rollback on --environment kubernetes: a rollout through the cluster's API, recorded in the model registry.</summary>
sealed partial class Build
{
    [Parameter("Kubernetes: load the image into this kind cluster's nodes before deploying (they cannot pull from the loopback registry)")]
    readonly string? KindCluster;

    async Task DeployToKubernetesAsync(TargetContext ctx, CancellationToken ct)
    {
        var release = await GatedReleaseAsync(ct);
        var image = await ServingImageAsync(ct);
        using var api = await ConnectToClusterAsync(ct);
        var request = await KubernetesRequestAsync(api, $"./build.sh Deploy: {release.Version} ({release.Candidate}) passed Validate", ct);
        using var registry = OpenRegistry();
        var result = await new KubernetesReleaseStage(api, registry, new ProcessRunner(), TimeProvider.System, ctx.Log.WriteLine)
            .DeployAsync(release, image, request, ct);
        await WriteKubernetesMonitoringAsync(ctx, new KubernetesRelease(release.ModelName, release.Version, release.Sha256, image.Reference,
            request.Namespace, request.Replicas), ct);
        ctx.AppendStepSummary(KubernetesSummary("Deploy", result));
    }

    /// <summary>
    /// The ServiceMonitor and PrometheusRule (alerts.yml's groups) for clusters that run the Prometheus Operator: written,
    /// not applied, since a cluster without the operator's CRDs would refuse them and the release must not depend on it.
    /// </summary>
    async Task WriteKubernetesMonitoringAsync(TargetContext ctx, KubernetesRelease release, CancellationToken ct)
    {
        var directory = DeployDirectory / "monitoring";
        var objects = MonitoringManifests.Generate(release, await File.ReadAllTextAsync(AlertRulesFile, ct));
        var files = await ManifestWriter.WriteAsync(objects.Select(KubernetesJson.ToJson), directory, DryRun, ct);
        ctx.Log.WriteLine($"monitoring manifests: {string.Join(", ", files.Select(Path.GetFileName))} in {directory.RelativeTo(RootDirectory)}/ " +
            $"(kubectl apply -f {directory.RelativeTo(RootDirectory)}/ where the Prometheus Operator runs; the pods also carry prometheus.io/* scrape annotations)");
    }

    async Task RollbackOnKubernetesAsync(TargetContext ctx, CancellationToken ct)
    {
        using var api = await ConnectToClusterAsync(ct);
        var request = await KubernetesRequestAsync(api, $"./build.sh Rollback{(ToVersion is { } v ? $" --to-version {v}" : "")}", ct);
        using var registry = OpenRegistry();
        var result = await new KubernetesReleaseStage(api, registry, new ProcessRunner(), TimeProvider.System, ctx.Log.WriteLine)
            .RollbackAsync(ModelName, ToVersion, request, ct);
        ctx.AppendStepSummary(KubernetesSummary("Rollback", result));
    }

    // --kubeconfig names one file, as kubectl's flag does. The parameter also reads KUBECONFIG, whose value may be a
    // list of files: a list is merged the way kubectl merges that variable.
    async Task<Pipeline.Kubernetes.Api.KubernetesApiClient> ConnectToClusterAsync(CancellationToken ct) =>
        new(await LoadKubeconfigAsync(ct));

    Task<KubernetesConnection> LoadKubeconfigAsync(CancellationToken ct)
    {
        var isList = Kubeconfig?.Contains(Path.PathSeparator) == true;
        Func<string, string?> environment = name => isList && name == "KUBECONFIG" ? Kubeconfig : Env(name);
        var home = Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new KubernetesConfigurationLoader(environment, home)
            .LoadAsync(new KubeconfigOptions(isList ? null : Kubeconfig, KubeContext, KubeNamespace), ct);
    }

    /// <summary>
    /// Whose production Validate and LoadTest compare with: on kubernetes the kubeconfig's cluster and namespace (read
    /// from the file, no connection), as Deploy records it; without a usable kubeconfig, the environment-wide record.
    /// </summary>
    async Task<Pipeline.ModelRegistry.ReleaseTarget> ProductionTargetAsync(Action<string> log, CancellationToken ct)
    {
        if (TargetEnvironment != "kubernetes") return new Pipeline.ModelRegistry.ReleaseTarget(TargetEnvironment) { Model = ModelName };
        try
        {
            var connection = await LoadKubeconfigAsync(ct);
            return Pipeline.ModelRegistry.ReleaseTarget.ForCluster(TargetEnvironment, connection.Server, connection.Namespace) with { Model = ModelName };
        }
        catch (Exception e) when (e is KubernetesConfigurationException or IOException)
        {
            log($"warning: no kubeconfig says which cluster and namespace --environment kubernetes means ({e.Message}); " +
                "comparing with the environment-wide production record. Pass --kubeconfig/--kube-context to compare with what Deploy recorded.");
            return new Pipeline.ModelRegistry.ReleaseTarget(TargetEnvironment) { Model = ModelName };
        }
    }

    // The namespace is --kube-namespace, else the context's, else "default", as kubectl decides it.
    async Task<KubernetesReleaseRequest> KubernetesRequestAsync(Pipeline.Kubernetes.Api.KubernetesApiClient api, string reason, CancellationToken ct) => new(
        TargetEnvironment, api.Connection.Namespace, Replicas,
        new KubernetesDeployOptions { DryRun = DryRun, ManifestDirectory = DeployDirectory, RolloutTimeout = TimeSpan.FromSeconds(RolloutTimeoutSeconds) },
        await RevisionAsync(ct), reason, KindCluster) { ApiKey = await ServingApiKeyAsync(ct) };

    static string KubernetesSummary(string action, KubernetesDeployResult result) =>
        $"### {action} (kubernetes)\n\n" + (result.DryRun
            ? $"Dry run on `{result.Namespace}/{result.Deployment}`: nothing was changed.\n\n```\n{string.Join('\n', result.Changes)}\n```\n"
            : $"`{result.Namespace}/{result.Deployment}` serves **{result.ModelVersion}** (revision {result.Revision}).\n");
}
