using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Pipeline.Engine;

/// <summary>Fluent configuration of one target. Every method may be called several times; lists accumulate.</summary>
public interface ITargetDefinition
{
    /// <summary>Text shown in --help and in the graph.</summary>
    ITargetDefinition Description(string description);

    /// <summary>The given targets are planned too and finish before this one starts.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Inverse of <see cref="DependsOn"/>: the given targets depend on this one.</summary>
    ITargetDefinition DependentFor(params Target[] targets);

    /// <summary>Ordering only: when both are planned, this target runs after the given ones.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>Ordering only: when both are planned, this target runs before the given ones.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>Planning this target plans the given ones too; they run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>Inverse of <see cref="Triggers"/>: the given targets trigger this one.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Input files or globs (<c>*</c>, <c>?</c>, <c>**</c>), relative to the root directory or absolute. A directory means every file below it.</summary>
    ITargetDefinition Inputs(params string[] paths);

    /// <summary>
    /// .NET project files (relative to the root) whose code is an input: the projects and everything they reference by
    /// ProjectReference, recursively, with their compiled sources, project files and the Directory.Build.props,
    /// Directory.Packages.props and global.json that shape the compilation. Derived on every check, so a new source file or
    /// a new ProjectReference is covered without editing a list.
    /// </summary>
    ITargetDefinition CodeInputs(params string[] projectFiles);

    /// <summary>Members of the build (usually parameters) whose values are inputs, e.g. <c>() =&gt; Seed</c>. Secret values are hashed, never stored.</summary>
    ITargetDefinition Inputs(params Expression<Func<object?>>[] members);

    /// <summary>Files or globs the target writes. Together with inputs this makes the target incremental; after a successful run every output must exist.</summary>
    ITargetDefinition Outputs(params string[] paths);

    /// <summary>Artifacts (globs) this target makes available to later stages, e.g. CI jobs.</summary>
    ITargetDefinition Produces(params string[] patterns);

    /// <summary>Artifacts of <paramref name="target"/> this one uses (all of them when no pattern is given). Orders this target after the producer when both are planned.</summary>
    ITargetDefinition Consumes(Target target, params string[] patterns);

    /// <summary>Members that must have a value (non-null, non-blank string, non-empty array, true for a bool) when this target will run; checked before anything runs.</summary>
    ITargetDefinition Requires(params Expression<Func<object?>>[] members);

    /// <summary>Condition evaluated while planning; when false the target is skipped and its exclusive dependencies with it.</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? conditionText = null);

    /// <summary>Condition evaluated just before the target would run; when false the target is skipped.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? conditionText = null);

    /// <summary>When this target fails, targets that do not depend on it still run (the build still fails).</summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>This target runs even after another target failed or the build was cancelled.</summary>
    ITargetDefinition AssuredAfterFailure();

    ITargetDefinition Executes(Action action);

    ITargetDefinition Executes(Action<TargetContext, CancellationToken> action);

    ITargetDefinition Executes(Func<Task> action);

    ITargetDefinition Executes(Func<CancellationToken, Task> action);

    ITargetDefinition Executes(Func<TargetContext, CancellationToken, Task> action);
}
