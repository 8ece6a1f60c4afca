namespace Pipeline.Engine;

/// <summary>What will happen to a planned target. The planner decides Run or Skipped; UpToDate comes from a fingerprint check.</summary>
public enum PlannedAction
{
    Run,
    Skipped,
    UpToDate,
}
