namespace Pipeline.Rollouts.Analysis;

/// <summary>What an analysis threshold measures on one version: the share of answers that were not 5xx, its complement, or a latency percentile.</summary>
public enum AnalysisMetric { SuccessRate, ErrorRate, LatencyPercentile }
