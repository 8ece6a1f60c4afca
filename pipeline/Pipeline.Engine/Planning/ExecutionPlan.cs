namespace Pipeline.Engine;

/// <summary>Targets in execution order with what happens to each; <see cref="PlannedTarget.Predecessors"/> must finish first.</summary>
public sealed class ExecutionPlan
{
    private readonly Dictionary<string, PlannedTarget> _byName;

    internal ExecutionPlan(BuildGraph graph, IReadOnlyList<string> invoked, IReadOnlyList<PlannedTarget> targets)
    {
        Graph = graph;
        Invoked = invoked;
        Targets = targets;
        _byName = targets.ToDictionary(target => target.Name, StringComparer.Ordinal);
    }

    public BuildGraph Graph { get; }

    /// <summary>The targets named on the command line (or the default target), with their declared spelling.</summary>
    public IReadOnlyList<string> Invoked { get; }

    /// <summary>All planned targets in a valid execution order (declaration order breaks ties).</summary>
    public IReadOnlyList<PlannedTarget> Targets { get; }

    public PlannedTarget this[string name] => _byName[name];

    public bool Contains(string name) => _byName.ContainsKey(name);
}
