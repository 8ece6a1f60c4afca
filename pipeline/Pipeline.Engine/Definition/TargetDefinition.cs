using System.Linq.Expressions;

namespace Pipeline.Engine;

/// <summary>Collects what a target's lambda declares. References to other targets stay delegates until discovery names them.</summary>
internal sealed class TargetDefinition(string name, BuildDefinition build) : ITargetDefinition
{
    public string Name { get; } = name;
    public string? DescriptionText { get; private set; }
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<string> InputPaths { get; } = [];
    public List<string> CodeInputProjects { get; } = [];
    public List<MemberReference> InputMembers { get; } = [];
    public List<string> OutputPaths { get; } = [];
    public List<string> ProducedPatterns { get; } = [];
    public List<(Target Target, string[] Patterns)> ConsumedArtifacts { get; } = [];
    public List<MemberReference> RequiredMembers { get; } = [];
    public List<TargetCondition> StaticConditions { get; } = [];
    public List<TargetCondition> DynamicConditions { get; } = [];
    public bool ProceedsAfterFailure { get; private set; }
    public bool IsAssuredAfterFailure { get; private set; }
    public List<Func<TargetContext, CancellationToken, Task>> Actions { get; } = [];

    public ITargetDefinition Description(string description)
    {
        DescriptionText = description;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets) => AddTargets(DependsOnTargets, targets, nameof(DependsOn));

    public ITargetDefinition DependentFor(params Target[] targets) => AddTargets(DependentForTargets, targets, nameof(DependentFor));

    public ITargetDefinition After(params Target[] targets) => AddTargets(AfterTargets, targets, nameof(After));

    public ITargetDefinition Before(params Target[] targets) => AddTargets(BeforeTargets, targets, nameof(Before));

    public ITargetDefinition Triggers(params Target[] targets) => AddTargets(TriggersTargets, targets, nameof(Triggers));

    public ITargetDefinition TriggeredBy(params Target[] targets) => AddTargets(TriggeredByTargets, targets, nameof(TriggeredBy));

    public ITargetDefinition Inputs(params string[] paths) => AddPaths(InputPaths, paths, nameof(Inputs));

    public ITargetDefinition CodeInputs(params string[] projectFiles)
    {
        var projects = ValidatePaths(projectFiles, nameof(CodeInputs));
        if (projects.FirstOrDefault(project => !project.EndsWith("proj", StringComparison.OrdinalIgnoreCase) || FileGlob.IsPattern(project)) is { } wrong)
        {
            throw new BuildConfigurationException(
                $"Target {Name}: CodeInputs(\"{wrong}\") is not a project file; name a .csproj (no globs), e.g. \"src/App/App.csproj\".");
        }

        CodeInputProjects.AddRange(projects);
        return this;
    }

    public ITargetDefinition Inputs(params Expression<Func<object?>>[] members)
    {
        InputMembers.AddRange(members.Select(member => MemberReference.FromExpression(member, build, nameof(Inputs))));
        return this;
    }

    public ITargetDefinition Outputs(params string[] paths) => AddPaths(OutputPaths, paths, nameof(Outputs));

    public ITargetDefinition Produces(params string[] patterns) => AddPaths(ProducedPatterns, patterns, nameof(Produces));

    public ITargetDefinition Consumes(Target target, params string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(target, nameof(target));
        ConsumedArtifacts.Add((target, ValidatePaths(patterns, nameof(Consumes))));
        return this;
    }

    public ITargetDefinition Requires(params Expression<Func<object?>>[] members)
    {
        RequiredMembers.AddRange(members.Select(member => MemberReference.FromExpression(member, build, nameof(Requires))));
        return this;
    }

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? conditionText = null)
    {
        StaticConditions.Add(TargetCondition.Create(condition, conditionText));
        return this;
    }

    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? conditionText = null)
    {
        DynamicConditions.Add(TargetCondition.Create(condition, conditionText));
        return this;
    }

    public ITargetDefinition ProceedAfterFailure()
    {
        ProceedsAfterFailure = true;
        return this;
    }

    public ITargetDefinition AssuredAfterFailure()
    {
        IsAssuredAfterFailure = true;
        return this;
    }

    public ITargetDefinition Executes(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AddAction((_, _) =>
        {
            action();
            return Task.CompletedTask;
        });
    }

    public ITargetDefinition Executes(Action<TargetContext, CancellationToken> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AddAction((context, cancellationToken) =>
        {
            action(context, cancellationToken);
            return Task.CompletedTask;
        });
    }

    public ITargetDefinition Executes(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AddAction((_, _) => action());
    }

    public ITargetDefinition Executes(Func<CancellationToken, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AddAction((_, cancellationToken) => action(cancellationToken));
    }

    public ITargetDefinition Executes(Func<TargetContext, CancellationToken, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AddAction(action);
    }

    private TargetDefinition AddAction(Func<TargetContext, CancellationToken, Task> action)
    {
        Actions.Add(action);
        return this;
    }

    private TargetDefinition AddTargets(List<Target> list, Target[] targets, string method)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Any(target => target is null))
        {
            throw new BuildConfigurationException($"{method}(...) was given a null target.");
        }

        list.AddRange(targets);
        return this;
    }

    private TargetDefinition AddPaths(List<string> list, string[] paths, string method)
    {
        list.AddRange(ValidatePaths(paths, method));
        return this;
    }

    private static string[] ValidatePaths(string[] paths, string method)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Any(string.IsNullOrWhiteSpace))
        {
            throw new BuildConfigurationException($"{method}(...) was given an empty path; pass a file, directory or glob such as \"src/**/*.cs\".");
        }

        return paths;
    }
}
