namespace Pipeline.GitHubActions.Model;

/// <summary>One step: either an action (<see cref="Action"/> with <see cref="With"/>) or a shell script (<see cref="Run"/>).</summary>
public sealed record WorkflowStep
{
    public required string Name { get; init; }

    public string? Id { get; init; }

    public string? If { get; init; }

    public ActionReference? Action { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> With { get; init; } = [];

    public string? Run { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public static WorkflowStep Uses(string name, ActionReference action, params (string Key, string Value)[] with) =>
        new() { Name = name, Action = action, With = with.Select(pair => KeyValuePair.Create(pair.Key, pair.Value)).ToArray() };

    public static WorkflowStep Script(string name, string run, params (string Key, string Value)[] env) =>
        new() { Name = name, Run = run, Env = env.Select(pair => KeyValuePair.Create(pair.Key, pair.Value)).ToArray() };
}
