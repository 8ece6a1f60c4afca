namespace Pipeline.Engine;

/// <summary>One target in an execution plan.</summary>
public sealed record PlannedTarget(
    TargetDescriptor Target,
    PlannedAction Action,
    string? Reason,
    bool IsInvoked,
    IReadOnlyList<string> Predecessors)
{
    public string Name => Target.Name;
}
