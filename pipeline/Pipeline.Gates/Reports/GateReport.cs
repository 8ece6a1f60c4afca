namespace Pipeline.Gates;

/// <summary>Everything the Validate target decided and why: the content of gates.json and gates.md.</summary>
/// <param name="SchemaVersion">Raised whenever a field is renamed or removed, so readers of old reports can tell.</param>
public sealed record GateReport(
    int SchemaVersion,
    GateThresholds Thresholds,
    ProductionBaseline Production,
    IReadOnlyList<CandidateSummary> Candidates,
    IReadOnlyList<GateOutcome> Outcomes,
    ReleaseDecision Decision)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>
    /// The CPU that measured accuracy and latency (absent in reports written before it was recorded). Latency always
    /// depends on it; int8 accuracy would too, on weights that can saturate kernels without VNNI.
    /// </summary>
    public CpuFeatures? MeasuredOn { get; init; }

    /// <summary>The outcomes for one candidate, e.g. the winner's for the model registry.</summary>
    public IEnumerable<GateOutcome> OutcomesFor(string candidate) =>
        Outcomes.Where(outcome => string.Equals(outcome.Candidate, candidate, StringComparison.Ordinal));
}
