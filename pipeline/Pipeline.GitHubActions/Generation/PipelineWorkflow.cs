using Pipeline.GitHubActions.Model;

namespace Pipeline.GitHubActions.Generation;

/// <summary>
/// A workflow declared in terms of build targets, the way Nuke's <c>[GitHubActions]</c> attribute declares one:
/// jobs name targets, and <see cref="WorkflowGenerator"/> derives everything else from the build's graph.
/// </summary>
public sealed record PipelineWorkflow
{
    /// <summary>File name under .github/workflows, e.g. <c>pipeline.yml</c>.</summary>
    public required string FileName { get; init; }

    public required string Name { get; init; }

    public required WorkflowTriggers On { get; init; }

    public required string RunsOn { get; init; }

    public int DefaultTimeoutMinutes { get; init; } = 30;

    /// <summary>
    /// Targets that prepare a machine (installing tools, starting daemons): every job runs them on its own fresh runner,
    /// so they never make one job need another and are never skipped.
    /// </summary>
    public IReadOnlyList<string> RunOnEveryRunner { get; init; } = [];

    /// <summary>Steps every job starts with: checkout, SDK, caches.</summary>
    public required IReadOnlyList<WorkflowStep> CommonSteps { get; init; }

    public required ActionReference UploadArtifact { get; init; }

    public required ActionReference DownloadArtifact { get; init; }

    public int ArtifactRetentionDays { get; init; } = 7;

    public IReadOnlyList<KeyValuePair<string, string>> Permissions { get; init; } = [KeyValuePair.Create("contents", "read")];

    public WorkflowConcurrency? Concurrency { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>How a job starts the build; relative to the repository root.</summary>
    public string BuildScript { get; init; } = "./build.sh";

    /// <summary>Jobs in the order they are written. A job must come after the jobs that run what it depends on.</summary>
    public required IReadOnlyList<TargetJob> Jobs { get; init; }
}
