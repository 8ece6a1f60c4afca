namespace Pipeline.GitHubActions.Generation;

/// <summary>What one job does, derived from the target graph: the targets it runs and skips, the jobs it waits for,
/// and the artifacts (by producing job) it needs with their patterns.</summary>
public sealed record JobPlan(
    TargetJob Job,
    IReadOnlyList<string> Runs,
    IReadOnlyList<string> Skips,
    IReadOnlyList<string> Needs,
    IReadOnlyList<ArtifactRequest> Downloads);

/// <summary>Files a job needs from the job that produced them.</summary>
public sealed record ArtifactRequest(string ProducerJob, IReadOnlyList<string> Patterns);
