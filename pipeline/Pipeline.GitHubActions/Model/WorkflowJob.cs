namespace Pipeline.GitHubActions.Model;

/// <summary>A job as GitHub Actions runs it. Lists keep the order given; the writer adds nothing.</summary>
public sealed record WorkflowJob
{
    /// <summary>The key under <c>jobs:</c>, referenced by <c>needs:</c>.</summary>
    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string RunsOn { get; init; }

    public IReadOnlyList<string> Needs { get; init; } = [];

    public string? If { get; init; }

    /// <summary>A deployment environment (protection rules such as required reviewers live in the repository settings).</summary>
    public string? Environment { get; init; }

    public WorkflowConcurrency? Concurrency { get; init; }

    public required int TimeoutMinutes { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public required IReadOnlyList<WorkflowStep> Steps { get; init; }
}

/// <summary>
/// Runs sharing a group wait for each other, or cancel the older one. <see cref="CancelInProgressWhen"/>, an expression,
/// replaces the fixed <see cref="CancelInProgress"/> (e.g. cancel superseded pull-request runs only).
/// </summary>
public sealed record WorkflowConcurrency(string Group, bool CancelInProgress)
{
    public string? CancelInProgressWhen { get; init; }
}
