namespace Pipeline.ModelRegistry;

/// <summary>Decides which version a rollback puts back, from the environment's history alone.</summary>
public static class RollbackTarget
{
    /// <summary>The version to put in production. <paramref name="requested"/> null means the most recent production
    /// version that differs from the current one; a requested version must have been in production here before.</summary>
    /// <param name="sha256Of">The SHA-256 of a version's ONNX file, when known. A version with the same bytes as the current
    /// one is not a different version (registries from before content addressing may hold such duplicates), so a
    /// rollback skips it instead of "rolling back" to identical bytes.</param>
    public static string Resolve(EnvironmentState state, string? requested, Func<string, string?>? sha256Of = null)
    {
        var current = state.ProductionVersion ?? throw new ModelRegistryException(ModelRegistryError.NothingToRollBack,
            $"Environment '{state.Target}' has never had a version in production; nothing to roll back to. " +
            "Promote a validated version first.");

        if (requested is null)
        {
            var currentSha256 = sha256Of?.Invoke(current);
            var others = state.VersionsEverInProduction.Where(version => version != current).ToArray();
            return state.History.Select(e => e.Version)
                       .LastOrDefault(version => version != current && (currentSha256 is null || sha256Of!(version) != currentSha256))
                ?? throw new ModelRegistryException(ModelRegistryError.NothingToRollBack, others.Length == 0
                    ? $"Environment '{state.Target}' has only ever had {current} in production; nothing to roll back to."
                    : $"Environment '{state.Target}' has only ever had {current} and versions with the same bytes ({string.Join(", ", others)}) " +
                      "in production; nothing different to roll back to.");
        }

        if (requested != current && !state.VersionsEverInProduction.Contains(requested))
        {
            throw new ModelRegistryException(ModelRegistryError.NothingToRollBack,
                $"Version {requested} has never been in production in environment '{state.Target}', so it cannot be " +
                $"rolled back to (it has had: {string.Join(", ", state.VersionsEverInProduction)}). Promote it instead if it passed validation.");
        }
        return requested;
    }

    /// <summary>A lookup from version id to the SHA-256 of its ONNX file (null for an id not among <paramref name="versions"/>), for <see cref="Resolve"/>.</summary>
    public static Func<string, string?> Sha256Lookup(IEnumerable<ModelVersion> versions)
    {
        var hashes = versions.ToDictionary(v => v.VersionId, v => v.Sha256, StringComparer.Ordinal);
        return versionId => hashes.GetValueOrDefault(versionId);
    }
}
