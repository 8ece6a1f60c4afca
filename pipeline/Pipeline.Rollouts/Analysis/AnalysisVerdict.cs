namespace Pipeline.Rollouts.Analysis;

/// <summary>
/// Argo Rollouts' three outcomes of an analysis: every threshold held; one failed; or too little data to say
/// (fewer requests than the minimum, or a metric with no value), which aborts like a failure: no evidence is no promotion.
/// </summary>
public enum AnalysisVerdict { Successful, Failed, Inconclusive }
