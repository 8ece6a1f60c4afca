namespace Pipeline.ModelRegistry;

/// <summary>What makes two registrations "the same content": everything except the id, sequence and creation time.</summary>
internal static class VersionContent
{
    /// <summary>The fields in which <paramref name="candidate"/> differs from <paramref name="existing"/>, described for humans.</summary>
    public static IReadOnlyList<string> Differences(ModelVersion existing, ModelVersion candidate)
    {
        var differences = new List<string>();
        if (existing.ModelName != candidate.ModelName)
            differences.Add($"model name ('{existing.ModelName}' vs '{candidate.ModelName}')");
        if (existing.Sha256 != candidate.Sha256)
            differences.Add($"ONNX file (sha256 {existing.Sha256[..12]}… vs {candidate.Sha256[..12]}…)");
        if (existing.SourceRevision != candidate.SourceRevision)
            differences.Add($"source revision ('{existing.SourceRevision}' vs '{candidate.SourceRevision}')");
        if (!SameEntries(existing.DataHashes, candidate.DataHashes)) differences.Add("data hashes");
        if (!SameEntries(existing.Parameters, candidate.Parameters)) differences.Add("parameters");
        if (!SameEntries(existing.Metrics, candidate.Metrics)) differences.Add("metrics");
        if (!existing.Gates.SequenceEqual(candidate.Gates)) differences.Add("gate results");
        if (!SameEntries(existing.Labels, candidate.Labels)) differences.Add("labels");
        return differences;
    }

    private static bool SameEntries<TValue>(IReadOnlyDictionary<string, TValue> left, IReadOnlyDictionary<string, TValue> right) =>
        left.Count == right.Count &&
        left.All(entry => right.TryGetValue(entry.Key, out var value) && EqualityComparer<TValue>.Default.Equals(entry.Value, value));
}
