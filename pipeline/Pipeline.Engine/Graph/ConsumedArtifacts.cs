namespace Pipeline.Engine;

/// <summary>Artifacts one target uses from another; no patterns means everything the producer declares.</summary>
public sealed record ConsumedArtifacts(string Target, IReadOnlyList<string> Patterns);
