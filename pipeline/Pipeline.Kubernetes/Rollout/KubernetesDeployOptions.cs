namespace Pipeline.Kubernetes.Rollout;

/// <summary>How to deploy or roll back: the rollout's time limit, polling pace, dry run, and the manifest output.</summary>
public sealed record KubernetesDeployOptions
{
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the automatic undo after a failed rollout may take to become ready again.</summary>
    public TimeSpan RollbackTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Apply nothing: server-side dry run, and report what would change.</summary>
    public bool DryRun { get; init; }

    /// <summary>Where the YAML manifests are written for review (e.g. artifacts/deploy); null = not written.</summary>
    public string? ManifestDirectory { get; init; }

    /// <summary>The field manager owning what the pipeline applies.</summary>
    public string FieldManager { get; init; } = "mlops-pipeline";
}

/// <summary>What a deploy or rollback did: the revision and version now running, and for a dry run the would-be changes.</summary>
public sealed record KubernetesDeployResult(
    string Deployment,
    string Namespace,
    long? Revision,
    string? ModelVersion,
    bool DryRun,
    IReadOnlyList<string> Changes,
    IReadOnlyList<string> ManifestFiles,
    bool Unchanged = false);

/// <summary>A rollout that failed; <see cref="Exception.Message"/> says why, what was rolled back, and the pods' and events' story.</summary>
public sealed class KubernetesDeployException(string message, bool rolledBack) : Exception(message)
{
    public bool RolledBack { get; } = rolledBack;
}
