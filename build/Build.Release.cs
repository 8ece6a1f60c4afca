using Pipeline.Docker;
using Pipeline.Engine;
using Pipeline.ModelRegistry;
using Pipeline.OnnxRuntime;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using Pipeline.ReverseProxy;
using Pipeline.Stages;

/// <summary>Releases: Deploy and Rollback, on the local Docker engine or on Kubernetes (issue #7).</summary>
sealed partial class Build
{
    [Parameter("Port of the stable local endpoint (the reverse proxy in front of the active container) on 127.0.0.1")]
    readonly int LocalPort = 8080;

    [Parameter("Port of the model's stable local gRPC endpoint (HTTP/2, the edge in front of the active container) on 127.0.0.1; one per model on an edge (default: --local-port + 1, so 8081)")]
    readonly int? LocalGrpcPort;

    [Parameter("Local edge: TLS only on both endpoints, with a self-signed certificate for 127.0.0.1/localhost generated once (its path is printed for curl --cacert)")]
    readonly bool LocalTls;

    [Parameter("Rollback: the model version to put back (default: the previous production version); Promote: the version an A/B test left serving that takes all traffic")]
    readonly string? ToVersion;

    [Parameter("Deploy/Rollback: show what would change and change nothing")]
    readonly bool DryRun;

    // A path, not the credentials: it stays readable in errors; the file itself is what must be kept secret.
    [Parameter("Kubernetes: path to a kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the in-cluster service account)")]
    readonly string? Kubeconfig;

    [Parameter("Kubernetes: kubeconfig context (default: its current-context)")]
    readonly string? KubeContext;

    [Parameter("Kubernetes: namespace to deploy into (default: the kubeconfig context's namespace, else default)")]
    readonly string? KubeNamespace;

    [Parameter("Kubernetes: replicas of the serving Deployment")]
    readonly int Replicas = 2;

    [Parameter("Kubernetes: how long to wait for a rollout before rolling it back, in seconds")]
    readonly int RolloutTimeoutSeconds = 300;

    AbsolutePath DeployDirectory => ArtifactsDirectory / "deploy";

    Target Deploy => _ => _
        .Description("Rolls the gated model out (--strategy blue-green, canary or ab): on the local Docker engine behind the edge, or on Kubernetes")
        .DependsOn(LoadTest)
        .Consumes(Validate, "artifacts/gates/**")
        .Consumes(Containerize, "artifacts/container/image.json")
        .Produces("artifacts/deploy/**")
        .Executes(async (ctx, ct) =>
        {
            if (OnKubernetes())
            {
                await (Strategy switch
                {
                    CanaryStrategy => CanaryOnKubernetesAsync(ctx, ct),
                    AbStrategy => throw new ArgumentException("--strategy ab runs on the local edge, which splits requests exactly; on Kubernetes without a mesh use --strategy canary."),
                    _ => DeployToKubernetesAsync(ctx, ct),
                });
                return;
            }
            if (!DryRun) await EnsurePrometheusAsync(ctx, LocalPort, ct);
            var release = await GatedReleaseAsync(ct);
            var image = await ServingImageAsync(ct);
            var revision = await RevisionAsync(ct);
            using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Env));
            var ort = new OrtEnvironment();
            using var registry = OpenRegistry();
            var deployer = CreateLocalDeployer(docker, registry, ort, ctx, await ServingKeyMountAsync(ct));
            if (Strategy != BlueGreenStrategy)
            {
                await ProgressiveLocalDeployAsync(ctx, deployer, release, image, revision, ort, ct);
                return;
            }
            var result = await deployer.DeployAsync(release, image, revision,
                $"./build.sh Deploy: {release.Version} ({release.Candidate}) passed Validate", DryRun, ct);
            ctx.AppendStepSummary($"### Deploy ({TargetEnvironment})\n\n{result.SummaryLine}\n");
        });

    Target Rollback => _ => _
        .Description("Returns production to the previous model version (or --to-version)")
        .Executes(async (ctx, ct) =>
        {
            if (OnKubernetes())
            {
                await RollbackOnKubernetesAsync(ctx, ct);
                return;
            }
            var revision = await RevisionAsync(ct);
            using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Env));
            var ort = new OrtEnvironment();
            using var registry = OpenRegistry();
            var result = await CreateLocalDeployer(docker, registry, ort, ctx, await ServingKeyMountAsync(ct)).RollbackAsync(ToVersion, revision,
                $"./build.sh Rollback{(ToVersion is { } v ? $" --to-version {v}" : "")}", DryRun, ct);
            ctx.AppendStepSummary($"### Rollback ({TargetEnvironment})\n\n{result.SummaryLine}\n");
        });

    bool OnKubernetes() => TargetEnvironment switch
    {
        "local" => false,
        "kubernetes" => true,
        _ => throw new ArgumentException($"--environment {TargetEnvironment} is not a release target: use local (the Docker engine here) or kubernetes."),
    };

    LocalDeployer CreateLocalDeployer(DockerClient docker, FileSystemModelRegistry registry, OrtEnvironment ort, TargetContext ctx, ServingKeyMount apiKeys)
    {
        var options = new LocalDeployOptions($"mlops-{ModelName}-{LocalPort}", LocalPort, TargetEnvironment, ModelName, ModelData,
            ImageRepository, DeployDirectory)
        {
            RegistryCredentials = ImageRegistryCredentials,
            ApiKeys = apiKeys,
            // Next to the REST port by default, so a second edge on another --local-port does not reach for the first one's gRPC port.
            GrpcListenPort = LocalGrpcPort ?? LocalPort + 1,
            Tls = LocalTls,
        };
        var edge = new HaproxyEdge(new ProcessRunner(), new EdgeLayout(Path.Combine(StateDirectory, "edge", $"local-{LocalPort}")), ctx.Log.WriteLine);
        return new LocalDeployer(docker, registry, edge, new ModelSmokeTest(ort, ctx.Log.WriteLine), options, TimeProvider.System, ctx.Log.WriteLine);
    }
}
