namespace Pipeline.Engine;

/// <summary>
/// One target as declared, with inverse declarations already folded in: <c>DependentFor</c> appears in the other target's
/// <see cref="DependsOn"/>, <c>TriggeredBy</c> in the other target's <see cref="Triggers"/>. Immutable.
/// </summary>
public sealed class TargetDescriptor
{
    internal TargetDescriptor(
        string name,
        int declarationIndex,
        string? description,
        IReadOnlyList<string> dependsOn,
        IReadOnlyList<string> after,
        IReadOnlyList<string> before,
        IReadOnlyList<string> triggers,
        IReadOnlyList<string> inputs,
        IReadOnlyList<string> codeInputs,
        IReadOnlyList<string> outputs,
        IReadOnlyList<string> produces,
        IReadOnlyList<ConsumedArtifacts> consumes,
        bool proceedAfterFailure,
        bool assuredAfterFailure,
        bool isDefault,
        TargetBehavior behavior)
    {
        Name = name;
        DeclarationIndex = declarationIndex;
        Description = description;
        DependsOn = dependsOn;
        After = after;
        Before = before;
        Triggers = triggers;
        Inputs = inputs;
        CodeInputs = codeInputs;
        Outputs = outputs;
        Produces = produces;
        Consumes = consumes;
        ProceedAfterFailure = proceedAfterFailure;
        AssuredAfterFailure = assuredAfterFailure;
        IsDefault = isDefault;
        Behavior = behavior;
    }

    public string Name { get; }

    /// <summary>Position in the build class (base classes first); the planner's tie-break.</summary>
    public int DeclarationIndex { get; }

    public string? Description { get; }

    public IReadOnlyList<string> DependsOn { get; }

    public IReadOnlyList<string> After { get; }

    public IReadOnlyList<string> Before { get; }

    public IReadOnlyList<string> Triggers { get; }

    /// <summary>Input file paths and globs as declared.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Project files whose reference closure's code is an input, as declared (see <see cref="ITargetDefinition.CodeInputs"/>).</summary>
    public IReadOnlyList<string> CodeInputs { get; }

    /// <summary>Names of build members whose values are inputs.</summary>
    public IReadOnlyList<string> ParameterInputs => Behavior.ParameterInputs.Select(member => member.Name).ToArray();

    public IReadOnlyList<string> Outputs { get; }

    public IReadOnlyList<string> Produces { get; }

    public IReadOnlyList<ConsumedArtifacts> Consumes { get; }

    /// <summary>Names of build members that must have a value.</summary>
    public IReadOnlyList<string> Requires => Behavior.Requirements.Select(member => member.Name).ToArray();

    public IReadOnlyList<string> StaticConditions => Behavior.StaticConditions.Select(condition => condition.Text).ToArray();

    public IReadOnlyList<string> DynamicConditions => Behavior.DynamicConditions.Select(condition => condition.Text).ToArray();

    public bool ProceedAfterFailure { get; }

    public bool AssuredAfterFailure { get; }

    public bool IsDefault { get; }

    /// <summary>Has both inputs (files, code or members) and outputs, so it is skipped when nothing changed.</summary>
    public bool IsIncremental => (Inputs.Count > 0 || CodeInputs.Count > 0 || Behavior.ParameterInputs.Count > 0) && Outputs.Count > 0;

    public bool HasActions => Behavior.Actions.Count > 0;

    internal TargetBehavior Behavior { get; }

    public override string ToString() => Name;
}
