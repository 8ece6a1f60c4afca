namespace Pipeline.Engine;

/// <summary>Whether an incremental target can be skipped, why, and the input snapshot the decision was based on.</summary>
internal sealed record Freshness(bool IsUpToDate, string Reason, InputSnapshot Snapshot);
