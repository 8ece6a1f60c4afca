namespace Pipeline.ModelRegistry.Tests;

/// <summary>Compares versions field by field; the record's own equality compares its maps by reference.</summary>
public sealed class ModelVersionComparer : IEqualityComparer<ModelVersion>
{
    public bool Equals(ModelVersion? x, ModelVersion? y) =>
        x is not null && y is not null &&
        (x.VersionId, x.Sequence, x.ModelName, x.Sha256, x.SizeBytes, x.SourceRevision, x.PassedValidation, x.CreatedAt) ==
        (y.VersionId, y.Sequence, y.ModelName, y.Sha256, y.SizeBytes, y.SourceRevision, y.PassedValidation, y.CreatedAt) &&
        Same(x.DataHashes, y.DataHashes) && Same(x.Parameters, y.Parameters) && Same(x.Metrics, y.Metrics) &&
        Same(x.Labels, y.Labels) && x.Gates.SequenceEqual(y.Gates);

    public int GetHashCode(ModelVersion obj) => obj.VersionId.GetHashCode();

    private static bool Same<T>(IReadOnlyDictionary<string, T> x, IReadOnlyDictionary<string, T> y) =>
        x.OrderBy(e => e.Key, StringComparer.Ordinal).SequenceEqual(y.OrderBy(e => e.Key, StringComparer.Ordinal));
}
