using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Canary;

/// <summary>
/// Runs a <see cref="CanaryPlan"/> the way Argo Rollouts and Flagger do: raise the canary's share step by step; during
/// each step look at the analysis every <see cref="CanaryPlan.AnalysisInterval"/> (a failure aborts at once) and at the
/// step's end (a pass needs the minimum requests). Any abort, and a cancelled run, puts all traffic back on stable
/// before returning. Promotion past the last step is the caller's: this only decides.
/// </summary>
public sealed class CanaryController(ICanaryTraffic traffic, IVersionMetrics metrics, TimeProvider time, Action<string> log)
{
    public async Task<CanaryOutcome> RunAsync(CanaryPlan plan, string stableVersion, string canaryVersion, CancellationToken cancellationToken)
    {
        await metrics.WaitUntilMeasuredAsync(canaryVersion, plan.MeasuredTimeout, cancellationToken);
        var analyses = new List<StepAnalysis>();
        var started = time.GetTimestamp();
        var completed = false;
        try
        {
            foreach (var percent in plan.StepPercents)
            {
                await traffic.SetCanaryPercentAsync(percent, cancellationToken);
                log($"canary {canaryVersion}: {percent} % of traffic ({traffic.Describe(percent)}); analysing for {plan.StepDuration.TotalSeconds:F0} s");
                var analysis = await RunStepAsync(plan, percent, stableVersion, canaryVersion, cancellationToken);
                analyses.Add(analysis);
                if (analysis.Verdict != AnalysisVerdict.Successful)
                {
                    await traffic.SetCanaryPercentAsync(0, cancellationToken);
                    completed = true;
                    var elapsed = time.GetElapsedTime(started);
                    log($"canary {canaryVersion} aborted at {percent} % ({analysis.Verdict.ToString().ToLowerInvariant()}: {analysis.Reason}); " +
                        $"all traffic back on {stableVersion} {elapsed.TotalSeconds:F1} s after the canary's first request");
                    return new CanaryOutcome(stableVersion, canaryVersion, false, analyses, elapsed);
                }
                log($"canary {canaryVersion} at {percent} %: analysis passed ({Summary(analysis)})");
            }
            completed = true;
            return new CanaryOutcome(stableVersion, canaryVersion, true, analyses, time.GetElapsedTime(started));
        }
        finally
        {
            // Cancelled or failed mid-step (Ctrl+C, a Prometheus outage): the stable version takes all traffic back.
            if (!completed) await traffic.SetCanaryPercentAsync(0, CancellationToken.None);
        }
    }

    private async Task<StepAnalysis> RunStepAsync(CanaryPlan plan, int percent, string stableVersion, string canaryVersion, CancellationToken cancellationToken)
    {
        var stepStart = time.GetTimestamp();
        while (true)
        {
            var remaining = plan.StepDuration - time.GetElapsedTime(stepStart);
            var last = remaining <= plan.AnalysisInterval;
            await Task.Delay(last ? Max(remaining, TimeSpan.Zero) : plan.AnalysisInterval, time, cancellationToken);
            // Whole seconds covering the step so far: Prometheus ranges are given in seconds.
            var window = TimeSpan.FromSeconds(Math.Max(2, Math.Ceiling(time.GetElapsedTime(stepStart).TotalSeconds)));
            var canary = await metrics.MeasureAsync(canaryVersion, window, plan.Percentiles, cancellationToken);
            var stable = percent < 100 ? await metrics.MeasureAsync(stableVersion, window, plan.Percentiles, cancellationToken) : null;
            var analysis = StepAnalysis.Evaluate(percent, window, canary, stable, plan.Thresholds, plan.MinimumRequests);
            if (last || analysis.Verdict == AnalysisVerdict.Failed) return analysis;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Summary(StepAnalysis analysis) =>
        $"{analysis.Canary.Requests:F0} requests; " + string.Join(", ", analysis.Checks.Select(c => $"{c.Threshold.Expression}: {c.Threshold.Format(c.Canary)}"));
}
