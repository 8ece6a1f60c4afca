namespace Pipeline.GitHubActions.Model;

/// <summary>A workflow file: triggers, token permissions, defaults and jobs in the order they are written.</summary>
public sealed record Workflow
{
    public required string Name { get; init; }

    public required WorkflowTriggers On { get; init; }

    /// <summary>GITHUB_TOKEN scopes, e.g. contents: read. Listed scopes only; everything else is none.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Permissions { get; init; }

    public WorkflowConcurrency? Concurrency { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public required IReadOnlyList<WorkflowJob> Jobs { get; init; }
}

/// <summary>The events that start the workflow. Null means the event does not trigger it.</summary>
public sealed record WorkflowTriggers
{
    /// <summary>Branches whose pushes run the workflow.</summary>
    public IReadOnlyList<string>? PushBranches { get; init; }

    /// <summary>Pull requests against these branches (empty: any branch).</summary>
    public IReadOnlyList<string>? PullRequestBranches { get; init; }

    /// <summary>Manual runs, with these inputs.</summary>
    public IReadOnlyList<WorkflowInput>? WorkflowDispatch { get; init; }
}

public enum WorkflowInputType
{
    String,
    Choice,
    Boolean,
}

/// <summary>An input of a manual run; <see cref="Options"/> only for <see cref="WorkflowInputType.Choice"/>.</summary>
public sealed record WorkflowInput(string Name, string Description, WorkflowInputType Type, bool Required, string? Default = null)
{
    public IReadOnlyList<string> Options { get; init; } = [];
}
