namespace Pipeline.Engine;

/// <summary>A planned target as --plan shows it: the planner's decision refined by a fresh up-to-date check.</summary>
internal sealed record PlanPreview(PlannedTarget Planned, PlannedAction Action, string? Reason)
{
    public static async Task<IReadOnlyList<PlanPreview>> CreateAsync(
        ExecutionPlan plan, UpToDateChecker checker, bool force, CancellationToken cancellationToken)
    {
        var previews = new List<PlanPreview>();
        var runs = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var planned in plan.Targets)
        {
            // Plan order puts every dependency first, so whether it will be rebuilt is already known.
            var rebuilt = planned.Target.DependsOn.Where(name => runs.GetValueOrDefault(name)).ToArray();
            var preview = await PreviewAsync(planned, checker, force, rebuilt, cancellationToken);
            runs[planned.Name] = planned.Target.IsIncremental && preview.Action == PlannedAction.Run;
            previews.Add(preview);
        }

        return previews;
    }

    private static async Task<PlanPreview> PreviewAsync(
        PlannedTarget planned, UpToDateChecker checker, bool force, IReadOnlyList<string> rebuiltDependencies, CancellationToken cancellationToken)
    {
        if (planned.Action == PlannedAction.Skipped)
        {
            return new PlanPreview(planned, PlannedAction.Skipped, planned.Reason);
        }

        var runtimeConditions = planned.Target.DynamicConditions;
        var onlyIf = runtimeConditions.Count == 0 ? null : $"only if {string.Join(" and ", runtimeConditions)} at run time";
        if (!planned.Target.IsIncremental)
        {
            return new PlanPreview(planned, PlannedAction.Run, onlyIf);
        }

        if (force)
        {
            return new PlanPreview(planned, PlannedAction.Run, Join("forced by --force", onlyIf));
        }

        Freshness freshness;
        try
        {
            freshness = await checker.CheckAsync(planned.Target, rebuiltDependencies, cancellationToken);
        }
        catch (BuildConfigurationException exception)
        {
            // A preview still shows the whole plan; running it fails on this before anything starts.
            return new PlanPreview(planned, PlannedAction.Run, Join(string.Join(" ", exception.Errors), onlyIf));
        }

        return new PlanPreview(planned, freshness.IsUpToDate ? PlannedAction.UpToDate : PlannedAction.Run, Join(freshness.Reason, onlyIf));
    }

    private static string Join(string reason, string? onlyIf) => onlyIf is null ? reason : $"{reason}; {onlyIf}";
}
