namespace Pipeline.Engine;

/// <summary>
/// Turns a request into a plan: the DependsOn and Triggers closure of the invoked targets, ordered by DependsOn, After,
/// Before, Triggers and Consumes, with skips decided by --skip and static conditions, and Requires checked. Runs nothing.
/// </summary>
public static class ExecutionPlanner
{
    public static ExecutionPlan Plan(BuildGraph graph, PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        var invoked = ResolveNames(graph, request.InvokedTargets, errors);
        var skipped = ResolveNames(graph, request.SkippedTargets, errors);
        if (invoked.Count == 0 && errors.Count == 0)
        {
            errors.Add("No target to run: name one on the command line or override DefaultTarget.");
        }

        ThrowIfAny(errors);
        var members = Closure(graph, invoked);
        var predecessors = Predecessors(members);
        var order = TopologicalOrder.Sort(members, predecessors);
        var reasons = SkipReasons(order, invoked, skipped, request.SkipAllNotInvoked, errors);
        ThrowIfAny(errors);
        SkipExclusiveDependencies(order, invoked, reasons);
        var invokedNames = invoked.Select(target => target.Name).ToHashSet(StringComparer.Ordinal);
        var planned = order.Select(target => new PlannedTarget(
                target,
                reasons.TryGetValue(target.Name, out var reason) ? PlannedAction.Skipped : PlannedAction.Run,
                reason,
                invokedNames.Contains(target.Name),
                predecessors[target.Name].OrderBy(name => graph.FindTarget(name)!.DeclarationIndex).ToArray()))
            .ToArray();
        RequirementChecker.Check(graph, planned.Where(target => target.Action == PlannedAction.Run), errors);
        ThrowIfAny(errors);
        return new ExecutionPlan(graph, invoked.Select(target => target.Name).ToArray(), planned);
    }

    private static List<TargetDescriptor> ResolveNames(BuildGraph graph, IEnumerable<string> names, List<string> errors)
    {
        var targets = new List<TargetDescriptor>();
        foreach (var name in names)
        {
            if (graph.FindTarget(name) is { } target)
            {
                if (!targets.Contains(target))
                {
                    targets.Add(target);
                }
            }
            else
            {
                errors.Add(graph.UnknownTargetMessage(name));
            }
        }

        return targets;
    }

    private static List<TargetDescriptor> Closure(BuildGraph graph, IEnumerable<TargetDescriptor> invoked)
    {
        var members = new List<TargetDescriptor>();
        var pending = new Queue<TargetDescriptor>(invoked);
        while (pending.TryDequeue(out var target))
        {
            if (members.Contains(target))
            {
                continue;
            }

            members.Add(target);
            foreach (var name in target.DependsOn.Concat(target.Triggers))
            {
                pending.Enqueue(graph.FindTarget(name)!);
            }
        }

        return members;
    }

    /// <summary>For each planned target, the planned targets that must finish before it starts.</summary>
    private static Dictionary<string, HashSet<string>> Predecessors(IReadOnlyList<TargetDescriptor> members)
    {
        var inPlan = members.Select(target => target.Name).ToHashSet(StringComparer.Ordinal);
        var predecessors = members.ToDictionary(target => target.Name, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var target in members)
        {
            var waitsFor = target.DependsOn
                .Concat(target.After)
                .Concat(target.Consumes.Select(consumed => consumed.Target))
                .Where(inPlan.Contains);
            predecessors[target.Name].UnionWith(waitsFor);
            foreach (var later in target.Before.Concat(target.Triggers).Where(inPlan.Contains))
            {
                predecessors[later].Add(target.Name);
            }
        }

        return predecessors;
    }

    private static Dictionary<string, string> SkipReasons(
        IReadOnlyList<TargetDescriptor> order,
        IReadOnlyList<TargetDescriptor> invoked,
        IReadOnlyList<TargetDescriptor> skipped,
        bool skipAllNotInvoked,
        List<string> errors)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in order)
        {
            if (skipped.Contains(target))
            {
                reasons[target.Name] = "named in --skip";
                continue;
            }

            if (skipAllNotInvoked && !invoked.Contains(target))
            {
                reasons[target.Name] = "not invoked, and --skip given";
                continue;
            }

            foreach (var condition in target.Behavior.StaticConditions)
            {
                try
                {
                    if (!condition.Evaluate())
                    {
                        reasons[target.Name] = $"condition false: {condition.Text}";
                        break;
                    }
                }
                catch (Exception exception)
                {
                    errors.Add($"Target {target.Name}: OnlyWhenStatic({condition.Text}) threw {exception.GetType().Name}: {exception.Message}");
                    break;
                }
            }
        }

        return reasons;
    }

    /// <summary>
    /// A dependency pulled in only by targets whose static condition is false has no reason to run: skip it too.
    /// Targets skipped by --skip keep their dependencies, as the user named exactly what to skip.
    /// </summary>
    private static void SkipExclusiveDependencies(IReadOnlyList<TargetDescriptor> order, IReadOnlyList<TargetDescriptor> invoked, Dictionary<string, string> reasons)
    {
        var byName = order.ToDictionary(target => target.Name, StringComparer.Ordinal);
        var conditionSkipped = order.Where(target => reasons.TryGetValue(target.Name, out var reason) && reason.StartsWith("condition false", StringComparison.Ordinal))
            .Select(target => target.Name)
            .ToHashSet(StringComparer.Ordinal);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(invoked.Select(target => target.Name));
        while (pending.TryDequeue(out var name))
        {
            if (!needed.Add(name) || conditionSkipped.Contains(name))
            {
                continue;
            }

            foreach (var next in byName[name].DependsOn.Concat(byName[name].Triggers))
            {
                pending.Enqueue(next);
            }
        }

        foreach (var target in order.Where(target => !needed.Contains(target.Name) && !reasons.ContainsKey(target.Name)))
        {
            var users = conditionSkipped.Where(skippedName => Reaches(byName, skippedName, target.Name))
                .OrderBy(skippedName => byName[skippedName].DeclarationIndex);
            reasons[target.Name] = $"only needed by skipped {string.Join(", ", users)}";
        }
    }

    private static bool Reaches(Dictionary<string, TargetDescriptor> byName, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(byName[from].DependsOn.Concat(byName[from].Triggers));
        while (pending.TryPop(out var name))
        {
            if (name == to)
            {
                return true;
            }

            if (seen.Add(name) && byName.TryGetValue(name, out var target))
            {
                foreach (var next in target.DependsOn.Concat(target.Triggers))
                {
                    pending.Push(next);
                }
            }
        }

        return false;
    }

    private static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new BuildConfigurationException(errors.ToArray());
        }
    }
}
