namespace Pipeline.Engine;

/// <summary>The executable parts of a target: conditions, member readers and actions. Kept out of the public descriptor.</summary>
internal sealed record TargetBehavior(
    IReadOnlyList<TargetCondition> StaticConditions,
    IReadOnlyList<TargetCondition> DynamicConditions,
    IReadOnlyList<MemberReference> ParameterInputs,
    IReadOnlyList<MemberReference> Requirements,
    IReadOnlyList<Func<TargetContext, CancellationToken, Task>> Actions);
