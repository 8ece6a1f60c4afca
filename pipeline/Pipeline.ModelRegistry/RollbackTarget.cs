namespace Pipeline.ModelRegistry;

/// <summary>Decides which version a rollback puts back, from the environment's history alone.</summary>
public static class RollbackTarget
{
    /// <summary>The version to put in production. <paramref name="requested"/> null means the most recent production
    /// version that differs from the current one; a requested version must have been in production here before.</summary>
    public static string Resolve(EnvironmentState state, string? requested)
    {
        var current = state.ProductionVersion ?? throw new ModelRegistryException(ModelRegistryError.NothingToRollBack,
            $"Environment '{state.Environment}' has never had a version in production; nothing to roll back to. " +
            "Promote a validated version first.");

        if (requested is null)
        {
            return state.History.Select(e => e.Version).LastOrDefault(version => version != current)
                ?? throw new ModelRegistryException(ModelRegistryError.NothingToRollBack,
                    $"Environment '{state.Environment}' has only ever had {current} in production; nothing to roll back to.");
        }

        if (requested != current && !state.VersionsEverInProduction.Contains(requested))
        {
            throw new ModelRegistryException(ModelRegistryError.NothingToRollBack,
                $"Version {requested} has never been in production in environment '{state.Environment}', so it cannot be " +
                $"rolled back to (it has had: {string.Join(", ", state.VersionsEverInProduction)}). Promote it instead if it passed validation.");
        }
        return requested;
    }
}
