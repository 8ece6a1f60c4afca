using Pipeline.Engine;

/// <summary>Releases: Deploy and Rollback, on the local Docker engine or on Kubernetes (issue #7).</summary>
sealed partial class Build
{
    [Parameter("Port of the stable local endpoint (the reverse proxy in front of the active container) on 127.0.0.1")]
    readonly int LocalPort = 8080;

    [Parameter("Rollback: the model version to put back (default: the previous production version)")]
    readonly string? ToVersion;

    [Parameter("Deploy/Rollback: show what would change and change nothing")]
    readonly bool DryRun;

    [Parameter("Kubernetes: path to a kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the in-cluster service account)"), Secret]
    readonly string? Kubeconfig;

    [Parameter("Kubernetes: kubeconfig context (default: its current-context)")]
    readonly string? KubeContext;

    [Parameter("Kubernetes: namespace to deploy into")]
    readonly string KubeNamespace = "default";

    [Parameter("Kubernetes: replicas of the serving Deployment")]
    readonly int Replicas = 2;

    [Parameter("Kubernetes: how long to wait for a rollout before rolling it back, in seconds")]
    readonly int RolloutTimeoutSeconds = 300;

    Target Deploy => _ => _
        .Description("Rolls the gated model out: blue/green on the local Docker engine, or a Kubernetes rollout")
        .DependsOn(LoadTest)
        .Executes(() => NotImplementedYet(nameof(Deploy), 7));

    Target Rollback => _ => _
        .Description("Returns production to the previous model version (or --to-version)")
        .Executes(() => NotImplementedYet(nameof(Rollback), 7));
}
