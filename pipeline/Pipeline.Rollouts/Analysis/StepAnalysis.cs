namespace Pipeline.Rollouts.Analysis;

/// <summary>
/// The analysis after one canary step: the canary's and the stable version's measurements over the step's window, each
/// threshold checked on the canary, and the verdict. Inconclusive when the canary answered fewer than the minimum
/// requests or a threshold's metric has no value; failed as soon as one threshold fails.
/// </summary>
public sealed record StepAnalysis(int WeightPercent, TimeSpan Window, VersionMeasurement Canary, VersionMeasurement? Stable, double MinimumRequests,
    IReadOnlyList<ThresholdCheck> Checks, AnalysisVerdict Verdict)
{
    public static StepAnalysis Evaluate(int weightPercent, TimeSpan window, VersionMeasurement canary, VersionMeasurement? stable,
        IReadOnlyList<AnalysisThreshold> thresholds, double minimumRequests)
    {
        var checks = thresholds.Select(t =>
        {
            var value = t.ValueIn(canary);
            var verdict = value is not { } v ? AnalysisVerdict.Inconclusive : t.Holds(v) ? AnalysisVerdict.Successful : AnalysisVerdict.Failed;
            return new ThresholdCheck(t, value, stable is null ? null : t.ValueIn(stable), verdict);
        }).ToList();
        // A failure is evidence even from few requests (3 errors in 5 is a bad canary); a pass needs the minimum.
        var overall = checks.Any(c => c.Verdict == AnalysisVerdict.Failed) ? AnalysisVerdict.Failed
            : canary.Requests < minimumRequests || checks.Any(c => c.Verdict == AnalysisVerdict.Inconclusive) ? AnalysisVerdict.Inconclusive
            : AnalysisVerdict.Successful;
        return new StepAnalysis(weightPercent, window, canary, stable, minimumRequests, checks, overall);
    }

    /// <summary>Why the step did not pass, in one sentence; empty when it passed.</summary>
    public string Reason => Verdict switch
    {
        AnalysisVerdict.Successful => "",
        AnalysisVerdict.Failed => string.Join("; ", Checks.Where(c => c.Verdict == AnalysisVerdict.Failed)
            .Select(c => $"{c.Threshold.Expression} measured {c.Threshold.Format(c.Canary)}")),
        _ => Canary.Requests < MinimumRequests
            ? $"the canary answered {Canary.Requests:F0} requests in {Window.TotalSeconds:F0} s, fewer than the {MinimumRequests:F0} an analysis needs " +
              "(send traffic, lengthen --canary-step-seconds or raise --canary-load-rps)"
            : string.Join("; ", Checks.Where(c => c.Verdict == AnalysisVerdict.Inconclusive).Select(c => $"{c.Threshold.Expression} has no value")),
    };
}
