namespace Pipeline.LoadTesting.Scenarios;

/// <summary>Error kinds the runners themselves record at the hard stop.</summary>
public static class StopErrorKinds
{
    /// <summary>In flight at the deadline and cancelled.</summary>
    public const string StoppedAtDeadline = "StoppedAtDeadline";

    /// <summary>In flight at the deadline and ignored cancellation: left running, counted as an error without a latency.</summary>
    public const string AbandonedAtDeadline = "AbandonedAtDeadline";
}
