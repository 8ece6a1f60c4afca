namespace Pipeline.Engine;

/// <summary>
/// A target is declared as a property returning a lambda that configures the definition it is given:
/// <c>Target Compile => _ => _.DependsOn(Restore).Executes(() => ...);</c>
/// The engine identifies a target by the method behind the lambda, so every access to the property maps to the same target.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition _);
