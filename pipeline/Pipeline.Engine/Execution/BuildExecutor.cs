using System.Diagnostics;

namespace Pipeline.Engine;

/// <summary>
/// Runs a plan. A target starts once all its predecessors have ended; sequential mode (parallelism 1) follows plan
/// order exactly. After a failure no new target starts, except AssuredAfterFailure ones, and targets that do not depend on
/// a failed ProceedAfterFailure target. On cancellation running targets are aborted and assured targets still run,
/// with a token of their own.
/// </summary>
internal sealed class BuildExecutor(ExecutionPlan plan, TargetRunner runner, ExecutionReporter reporter, int maxParallelism)
{
    private readonly Dictionary<string, string[]> _triggeredBy = plan.Targets.ToDictionary(
        target => target.Name,
        target => plan.Targets.Where(other => other.Target.Triggers.Contains(target.Name)).Select(other => other.Name).ToArray(),
        StringComparer.Ordinal);

    private readonly HashSet<string> _incremental = plan.Targets.Where(target => target.Target.IsIncremental)
        .Select(target => target.Name).ToHashSet(StringComparer.Ordinal);

    public async Task<RunSummary> ExecuteAsync(CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        var stopwatch = Stopwatch.StartNew();
        var results = new Dictionary<string, TargetResult>(StringComparer.Ordinal);
        var running = new Dictionary<Task<TargetResult>, PlannedTarget>();
        string? stoppedBy = null;
        while (results.Count < plan.Targets.Count)
        {
            var progressed = StartReadyTargets(results, running, stoppedBy, cancellationToken);
            if (running.Count == 0)
            {
                if (!progressed)
                {
                    throw new InvalidOperationException("The scheduler cannot make progress; the plan's order is inconsistent.");
                }

                continue;
            }

            var finished = await Task.WhenAny(running.Keys);
            var planned = running[finished];
            running.Remove(finished);
            var result = await finished;
            results[planned.Name] = result;
            if (result.Status == TargetStatus.Failed && !planned.Target.ProceedAfterFailure)
            {
                stoppedBy ??= planned.Name;
            }
        }

        var ordered = plan.Targets.Select(target => results[target.Name]).ToArray();
        return new RunSummary(ordered, stopwatch.Elapsed, cancellationToken.IsCancellationRequested);
    }

    private bool StartReadyTargets(
        Dictionary<string, TargetResult> results,
        Dictionary<Task<TargetResult>, PlannedTarget> running,
        string? stoppedBy,
        CancellationToken cancellationToken)
    {
        var sequential = maxParallelism == 1;
        var progressed = false;
        var startedNames = running.Values.Select(target => target.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var planned in plan.Targets)
        {
            if (results.ContainsKey(planned.Name) || startedNames.Contains(planned.Name))
            {
                continue;
            }

            if (!planned.Predecessors.All(results.ContainsKey) || running.Count >= maxParallelism)
            {
                if (sequential)
                {
                    break;
                }

                continue;
            }

            progressed = true;
            if (Decide(planned, results, stoppedBy, cancellationToken.IsCancellationRequested) is { } decided)
            {
                results[planned.Name] = decided;
                reporter.TargetFinished(decided, started: false);
                continue;
            }

            // Assured targets must be able to clean up after a cancellation, so they do not inherit the cancelled token.
            var token = planned.Target.AssuredAfterFailure && cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken;
            var rebuilt = RebuiltDependencies(planned, results);
            running[Task.Run(() => runner.RunAsync(planned.Target, rebuilt, token), CancellationToken.None)] = planned;
            startedNames.Add(planned.Name);
            if (sequential)
            {
                break;
            }
        }

        return progressed;
    }

    /// <summary>Incremental dependencies that ran in this build: their outputs may be new, so the dependant is not up to date.</summary>
    private string[] RebuiltDependencies(PlannedTarget planned, Dictionary<string, TargetResult> results) =>
        planned.Target.DependsOn
            .Where(name => results.TryGetValue(name, out var result) && result.Status == TargetStatus.Succeeded && _incremental.Contains(name))
            .ToArray();

    /// <summary>A result for targets that will not run (skipped, or blocked by a failure or cancellation); null when the target should start.</summary>
    private TargetResult? Decide(PlannedTarget planned, Dictionary<string, TargetResult> results, string? stoppedBy, bool cancelled)
    {
        if (planned.Action == PlannedAction.Skipped)
        {
            return NotStarted(planned, TargetStatus.Skipped, planned.Reason);
        }

        if (planned.Target.AssuredAfterFailure)
        {
            return null;
        }

        foreach (var dependency in planned.Target.DependsOn.Where(results.ContainsKey))
        {
            if (BlockingPhrase(results[dependency]) is { } phrase)
            {
                return NotStarted(planned, TargetStatus.NotRun, $"dependency {dependency} {phrase}");
            }
        }

        foreach (var trigger in _triggeredBy[planned.Name].Where(results.ContainsKey))
        {
            if (BlockingPhrase(results[trigger]) is { } phrase)
            {
                return NotStarted(planned, TargetStatus.NotRun, $"triggering target {trigger} {phrase}");
            }
        }

        if (cancelled)
        {
            return NotStarted(planned, TargetStatus.NotRun, "build cancelled");
        }

        return stoppedBy is null ? null : NotStarted(planned, TargetStatus.NotRun, $"build stopped after {stoppedBy} failed");
    }

    private static string? BlockingPhrase(TargetResult result) => result.Status switch
    {
        TargetStatus.Failed => "failed",
        TargetStatus.Aborted => "was aborted",
        TargetStatus.NotRun => "did not run",
        _ => null,
    };

    private static TargetResult NotStarted(PlannedTarget planned, TargetStatus status, string? reason) =>
        new(planned.Name, status, reason, TimeSpan.Zero);
}
