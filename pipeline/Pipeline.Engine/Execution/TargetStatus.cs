namespace Pipeline.Engine;

/// <summary>How a planned target ended.</summary>
public enum TargetStatus
{
    Succeeded,
    Failed,
    Skipped,
    UpToDate,
    NotRun,
    Aborted,
}
