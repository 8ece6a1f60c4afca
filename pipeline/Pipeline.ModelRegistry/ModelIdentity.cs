namespace Pipeline.ModelRegistry;

/// <summary>When a registration with a generated id is the same model as a version already registered: same name,
/// same ONNX bytes (SHA-256) and the same gate verdicts. Measured values, metrics and lineage are left out on purpose:
/// re-measuring identical bytes gives other latencies, and a new commit that does not change the bytes is not a new
/// model. A version number therefore always means different bytes or a different verdict on them.</summary>
internal static class ModelIdentity
{
    public static bool IsSameModel(ModelVersion existing, ModelVersion candidate) =>
        existing.ModelName == candidate.ModelName &&
        existing.Sha256 == candidate.Sha256 &&
        SameVerdicts(existing.Gates, candidate.Gates);

    // The verdict of a gate is what it demanded and whether it held; what it measured varies from run to run.
    private static bool SameVerdicts(IReadOnlyList<GateResult> existing, IReadOnlyList<GateResult> candidate) =>
        existing.Count == candidate.Count &&
        existing.OrderBy(g => g.Gate, StringComparer.Ordinal).Zip(candidate.OrderBy(g => g.Gate, StringComparer.Ordinal))
            .All(pair => pair.First.Gate == pair.Second.Gate && pair.First.Threshold.Equals(pair.Second.Threshold) && pair.First.Passed == pair.Second.Passed);
}
