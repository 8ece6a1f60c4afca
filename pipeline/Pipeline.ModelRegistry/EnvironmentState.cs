using System.Text.Json.Serialization;

namespace Pipeline.ModelRegistry;

/// <summary>
/// An environment's production version and its release history, oldest first. <see cref="Cluster"/> and
/// <see cref="Namespace"/> are set for a cluster's namespace (see <see cref="ReleaseTarget"/>); records written before
/// they existed have neither and are read as the environment-wide record they were; likewise <see cref="Model"/>, set
/// for one model's record.
/// </summary>
public sealed record EnvironmentState(string Environment, string? ProductionVersion, IReadOnlyList<ReleaseEvent> History,
    string? Cluster = null, string? Namespace = null, string? Model = null)
{
    public static EnvironmentState Empty(string environment) => new(environment, null, []);

    public static EnvironmentState Empty(ReleaseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new(target.Environment, null, [], target.Cluster, target.Namespace, target.Model);
    }

    /// <summary>Where this record's production version runs.</summary>
    [JsonIgnore]
    public ReleaseTarget Target => new(Environment, Cluster, Namespace) { Model = Model };

    /// <summary>The versions this environment has had in production, oldest first, each once.</summary>
    [JsonIgnore]
    public IEnumerable<string> VersionsEverInProduction => History.Select(e => e.Version).Distinct(StringComparer.Ordinal);
}

/// <summary>The outcome of a promotion or rollback.</summary>
/// <param name="Environment">The environment after the operation.</param>
/// <param name="RecordedEvent">The event that was appended, or <c>null</c> when the version was already in production (nothing changed).</param>
public sealed record ReleaseResult(EnvironmentState Environment, ReleaseEvent? RecordedEvent)
{
    public bool Changed => RecordedEvent is not null;
}
