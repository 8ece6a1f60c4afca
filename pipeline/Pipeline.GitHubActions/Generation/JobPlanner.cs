using Pipeline.Engine;

namespace Pipeline.GitHubActions.Generation;

/// <summary>
/// Splits a build across jobs. Each job runs the closure (DependsOn and Triggers) of its targets. A target belongs to the
/// first job, in declaration order, whose closure holds it; a later job skips it with <c>--skip</c>, needs the job it
/// belongs to, and downloads the files its own targets consume from it (and, through skipped producers, what those
/// consumed: a gate report names the model file it gated).
/// </summary>
public static class JobPlanner
{
    public static IReadOnlyList<JobPlan> Plan(BuildGraph graph, PipelineWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(workflow);
        var everyRunner = workflow.RunOnEveryRunner.Select(name => graph.GetTarget(name).Name).ToHashSet(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var declared = new List<string>();
        var needsByJob = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var plans = new List<JobPlan>();

        foreach (var job in workflow.Jobs)
        {
            if (declared.Contains(job.Id))
                throw new ArgumentException($"Two jobs have the id '{job.Id}'.");
            if (job.Targets.Length == 0)
                throw new ArgumentException($"Job '{job.Id}' names no target.");
            var invoked = job.Targets.Select(name => graph.GetTarget(name).Name).ToArray();
            var reruns = job.Reruns.Select(name => graph.GetTarget(name).Name).ToHashSet(StringComparer.Ordinal);
            var closure = Closure(graph, invoked);
            foreach (var rerun in reruns.Where(r => !owner.ContainsKey(r) || !closure.Contains(r)))
                throw new ArgumentException($"Job '{job.Id}' reruns {rerun}, but {(closure.Contains(rerun) ? "no earlier job runs it" : $"it is not among what {string.Join(", ", invoked)} depend on")}.");

            var owned = new HashSet<string>(invoked, StringComparer.Ordinal);
            foreach (var target in closure.Where(t => !everyRunner.Contains(t) && !reruns.Contains(t) && !owner.ContainsKey(t)))
                owned.Add(target);
            foreach (var target in owned)
                owner.TryAdd(target, job.Id);

            var skips = closure.Where(t => !owned.Contains(t) && !everyRunner.Contains(t) && !reruns.Contains(t)).ToArray();
            var needs = Needs(job, skips.Concat(reruns).Select(t => owner[t]), declared, needsByJob);
            needsByJob[job.Id] = needs;
            var runs = closure.Where(t => !skips.Contains(t)).ToArray();
            var order = ExecutionOrder(graph, invoked);
            plans.Add(new JobPlan(job, Ordered(order, runs), Ordered(order, skips), needs, Downloads(graph, job, runs, skips, owner)));
            declared.Add(job.Id);
        }

        return plans;
    }

    /// <summary>The targets a build of <paramref name="invoked"/> plans: DependsOn and Triggers, transitively.</summary>
    public static HashSet<string> Closure(BuildGraph graph, IEnumerable<string> invoked)
    {
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(invoked);
        while (pending.TryPop(out var name))
        {
            var target = graph.GetTarget(name);
            if (!closure.Add(target.Name))
                continue;
            foreach (var next in target.DependsOn.Concat(target.Triggers))
                pending.Push(next);
        }

        return closure;
    }

    private static IReadOnlyList<string> Needs(TargetJob job, IEnumerable<string> fromGraph, List<string> declared, Dictionary<string, IReadOnlyList<string>> needsByJob)
    {
        foreach (var extra in job.AlsoNeeds.Where(extra => !declared.Contains(extra)))
            throw new ArgumentException($"Job '{job.Id}' also needs '{extra}', which is not declared before it ({(declared.Count == 0 ? "no job is" : string.Join(", ", declared) + " are")}).");
        var direct = fromGraph.Concat(job.AlsoNeeds).Where(id => id != job.Id).ToHashSet(StringComparer.Ordinal);

        // Drop a need that another need already waits for: `needs:` then reads as the graph's edges, not its closure.
        var implied = direct.SelectMany(id => Upstream(id, needsByJob)).ToHashSet(StringComparer.Ordinal);
        return declared.Where(id => direct.Contains(id) && !implied.Contains(id)).ToArray();
    }

    private static IEnumerable<string> Upstream(string jobId, Dictionary<string, IReadOnlyList<string>> needsByJob)
    {
        foreach (var need in needsByJob[jobId])
        {
            yield return need;
            foreach (var further in Upstream(need, needsByJob))
                yield return further;
        }
    }

    private static IReadOnlyList<ArtifactRequest> Downloads(BuildGraph graph, TargetJob job, string[] runs, string[] skips, Dictionary<string, string> owner)
    {
        foreach (var extra in job.AlsoConsumes.Where(extra => !skips.Contains(graph.GetTarget(extra.Target).Name)))
            throw new ArgumentException($"Job '{job.Id}' also consumes {extra.Target}, but runs it itself; only what an earlier job produced is downloaded.");

        var patternsByJob = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<ConsumedArtifacts>(runs.SelectMany(t => graph.GetTarget(t).Consumes).Concat(job.AlsoConsumes));
        while (pending.TryDequeue(out var consumed))
        {
            var producer = graph.GetTarget(consumed.Target);
            if (!skips.Contains(producer.Name))
                continue;
            var patterns = consumed.Patterns.Count > 0 ? consumed.Patterns : producer.Produces;
            if (patterns.Count == 0)
                throw new ArgumentException($"Job '{job.Id}' needs the artifacts of {producer.Name}, which declares no Produces: add .Produces(...) to {producer.Name}.");
            var set = patternsByJob.TryGetValue(owner[producer.Name], out var existing) ? existing : patternsByJob[owner[producer.Name]] = new SortedSet<string>(StringComparer.Ordinal);
            set.UnionWith(patterns);
            if (visited.Add(producer.Name))
                foreach (var upstream in producer.Consumes)
                    pending.Enqueue(upstream);
        }

        return patternsByJob.Select(pair => new ArtifactRequest(pair.Key, pair.Value.ToArray())).ToArray();
    }

    /// <summary>Each target's position in the order the engine runs a build of <paramref name="invoked"/>.</summary>
    private static Dictionary<string, int> ExecutionOrder(BuildGraph graph, IReadOnlyList<string> invoked) =>
        ExecutionPlanner.Plan(graph, new PlanRequest(invoked)).Targets
            .Select((target, index) => (target.Name, index))
            .ToDictionary(p => p.Name, p => p.index, StringComparer.Ordinal);

    // Run order, as the engine plans it, so --skip lists read in the order the pipeline flows whatever file declares a target.
    private static string[] Ordered(Dictionary<string, int> order, IEnumerable<string> names) =>
        names.OrderBy(name => order[name]).ToArray();
}
