namespace Pipeline.Engine;

/// <summary>Orders targets so every predecessor comes first, lowest declaration index first among ready ones; names any cycle.</summary>
internal static class TopologicalOrder
{
    public static IReadOnlyList<TargetDescriptor> Sort(
        IReadOnlyList<TargetDescriptor> targets,
        IReadOnlyDictionary<string, HashSet<string>> predecessors)
    {
        var remaining = targets.ToDictionary(target => target.Name, target => predecessors[target.Name].Count, StringComparer.Ordinal);
        var successors = targets.ToDictionary(target => target.Name, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var target in targets)
        {
            foreach (var predecessor in predecessors[target.Name])
            {
                successors[predecessor].Add(target.Name);
            }
        }

        var byName = targets.ToDictionary(target => target.Name, StringComparer.Ordinal);
        var ready = new SortedSet<TargetDescriptor>(Comparer<TargetDescriptor>.Create((a, b) => a.DeclarationIndex.CompareTo(b.DeclarationIndex)));
        ready.UnionWith(targets.Where(target => remaining[target.Name] == 0));
        var order = new List<TargetDescriptor>();
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            order.Add(next);
            foreach (var successor in successors[next.Name])
            {
                if (--remaining[successor] == 0)
                {
                    ready.Add(byName[successor]);
                }
            }
        }

        if (order.Count < targets.Count)
        {
            var stuck = targets.Where(target => remaining[target.Name] > 0).ToList();
            throw new BuildConfigurationException($"Dependency cycle: {string.Join(" -> ", FindCycle(stuck, predecessors))}");
        }

        return order;
    }

    // Every stuck target waits for another stuck target, so walking "waits for" edges must come back to a visited one.
    private static IEnumerable<string> FindCycle(IReadOnlyList<TargetDescriptor> stuck, IReadOnlyDictionary<string, HashSet<string>> predecessors)
    {
        var stuckNames = stuck.Select(target => target.Name).ToHashSet(StringComparer.Ordinal);
        var declarationIndex = stuck.ToDictionary(target => target.Name, target => target.DeclarationIndex, StringComparer.Ordinal);
        var path = new List<string>();
        var current = stuck.OrderBy(target => target.DeclarationIndex).First().Name;
        while (!path.Contains(current))
        {
            path.Add(current);
            current = predecessors[current].Where(stuckNames.Contains).OrderBy(name => declarationIndex[name]).First();
        }

        return path.Skip(path.IndexOf(current)).Append(current);
    }
}
