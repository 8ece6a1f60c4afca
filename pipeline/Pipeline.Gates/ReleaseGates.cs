namespace Pipeline.Gates;

/// <summary>The Validate step after measuring: apply every gate, pick the model to ship, and collect it all in a report.</summary>
public static class ReleaseGates
{
    /// <param name="trainedModelProbabilities">The trained model's in-process probabilities for the same test rows, row-major [N, classes]
    /// (the fp32 export's parity reference); null when there is no fp32 export, only independently trained candidates.</param>
    public static GateReport Evaluate(GateThresholds thresholds, ProductionBaseline production,
        IReadOnlyList<CandidateMeasurement> candidates, float[]? trainedModelProbabilities)
    {
        var outcomes = new GateEvaluator(thresholds).Evaluate(candidates, trainedModelProbabilities, production);
        var summaries = candidates.Select(CandidateSummary.From).ToList();
        var decision = ReleaseDecision.Decide(summaries, outcomes);
        return new GateReport(GateReport.CurrentSchemaVersion, thresholds, production, summaries, outcomes, decision);
    }
}
