namespace Pipeline.Engine;

/// <summary>A planned target as --plan shows it: the planner's decision refined by a fresh up-to-date check.</summary>
internal sealed record PlanPreview(PlannedTarget Planned, PlannedAction Action, string? Reason)
{
    public static async Task<IReadOnlyList<PlanPreview>> CreateAsync(
        ExecutionPlan plan, UpToDateChecker checker, bool force, CancellationToken cancellationToken)
    {
        var previews = new List<PlanPreview>();
        foreach (var planned in plan.Targets)
        {
            previews.Add(await PreviewAsync(planned, checker, force, cancellationToken));
        }

        return previews;
    }

    private static async Task<PlanPreview> PreviewAsync(PlannedTarget planned, UpToDateChecker checker, bool force, CancellationToken cancellationToken)
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

        var freshness = await checker.CheckAsync(planned.Target, cancellationToken);
        return new PlanPreview(planned, freshness.IsUpToDate ? PlannedAction.UpToDate : PlannedAction.Run, Join(freshness.Reason, onlyIf));
    }

    private static string Join(string reason, string? onlyIf) => onlyIf is null ? reason : $"{reason}; {onlyIf}";
}
