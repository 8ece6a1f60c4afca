namespace Pipeline.Gates;

/// <summary>Checks a list of measured candidates can be gated together, and finds the fp32 reference among them.</summary>
internal static class CandidateSet
{
    /// <summary>The fp32 reference; null when every candidate is <see cref="CandidateKind.Independent"/> and needs none.</summary>
    public static CandidateMeasurement? RequireFp32(IReadOnlyList<CandidateMeasurement> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            throw new ArgumentException("There are no candidates to gate; measure at least the fp32 model.", nameof(candidates));
        var duplicate = candidates.CountBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(pair => pair.Value > 1).Key;
        if (duplicate is not null)
            throw new ArgumentException($"Two candidates are named '{duplicate}'; names identify candidates and must be unique.", nameof(candidates));
        var fp32 = candidates.Where(c => c.Kind == CandidateKind.Fp32).ToList();
        if (fp32.Count == 0 && candidates.All(c => c.Kind == CandidateKind.Independent))
        {
            RequireSameTestSet(candidates, candidates[0]);
            return null;
        }

        if (fp32.Count != 1)
            throw new ArgumentException(
                fp32.Count == 0
                    ? "No candidate is of kind Fp32. The exported fp32 model is the reference for the drop and parity gates; add it to the candidates."
                    : $"Candidates {string.Join(", ", fp32.Select(c => $"'{c.Name}'"))} are all of kind Fp32; exactly one can be the reference.",
                nameof(candidates));
        RequireSameTestSet(candidates, fp32[0]);
        return fp32[0];
    }

    private static void RequireSameTestSet(IReadOnlyList<CandidateMeasurement> candidates, CandidateMeasurement reference)
    {
        var mismatched = candidates.FirstOrDefault(c =>
            c.SampleCount != reference.SampleCount || c.Predictions.ClassCount != reference.Predictions.ClassCount);
        if (mismatched is not null)
            throw new ArgumentException(
                $"Candidate '{mismatched.Name}' was measured on {mismatched.SampleCount} samples with {mismatched.Predictions.ClassCount} classes, " +
                $"'{reference.Name}' on {reference.SampleCount} with {reference.Predictions.ClassCount}; measure every candidate on the same test set.",
                nameof(candidates));
    }
}
