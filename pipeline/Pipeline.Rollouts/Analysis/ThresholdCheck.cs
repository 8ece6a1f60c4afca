namespace Pipeline.Rollouts.Analysis;

/// <summary>One threshold against the canary's value (and the stable version's, shown beside it for comparison).</summary>
public sealed record ThresholdCheck(AnalysisThreshold Threshold, double? Canary, double? Stable, AnalysisVerdict Verdict);
