namespace Pipeline.ModelRegistry;

public enum ReleaseEventKind
{
    Promoted,
    RolledBack,
}

/// <summary>One change of the production version of an environment. Histories only ever grow.</summary>
/// <param name="Kind">Promoted (a new version went out) or RolledBack (an earlier production version came back).</param>
/// <param name="Time">When the registry recorded the change.</param>
/// <param name="Version">The version in production after the change.</param>
/// <param name="PreviousVersion">The version in production before the change, or <c>null</c> for the first release.</param>
/// <param name="SourceRevision">The source revision of the pipeline run that made the change.</param>
/// <param name="Reason">Who did it and why, as the caller wrote it.</param>
public sealed record ReleaseEvent(
    ReleaseEventKind Kind,
    DateTimeOffset Time,
    string Version,
    string? PreviousVersion,
    string? SourceRevision,
    string Reason);
