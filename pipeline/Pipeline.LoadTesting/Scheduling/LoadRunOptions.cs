namespace Pipeline.LoadTesting.Scheduling;

/// <summary>Options of an open-model run: requests leave on the <see cref="Rate"/> schedule whatever the server does.</summary>
public sealed record OpenModelOptions(ArrivalRate Rate)
{
    /// <summary>The first part of the schedule whose requests are sent but not counted.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;

    /// <summary>Requests in flight at most; a due request that would exceed it is counted as dropped, never delayed.</summary>
    public int MaxConcurrency { get; init; } = 1000;

    /// <summary>Stop after this many post-warm-up requests were due (sent or dropped); null: run to the schedule's end.</summary>
    public long? MaxRequests { get; init; }

    /// <summary>How long in-flight requests may finish after the schedule ends before they are cancelled (k6's gracefulStop; ≤ 30 s).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Rate);
        RunBounds.Validate(Warmup, Rate.Duration, MaxRequests, DrainTimeout);
        if (MaxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "MaxConcurrency must be at least 1.");
    }
}

/// <summary>Options of a closed-model run: <see cref="VirtualUsers"/> loops, each sending its next request after the last returned.</summary>
public sealed record ClosedModelOptions(int VirtualUsers, TimeSpan Duration)
{
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;
    public TimeSpan ThinkTime { get; init; } = TimeSpan.Zero;
    public long? MaxRequests { get; init; }
    /// <summary>How long in-flight requests may finish after the run ends before they are cancelled (k6's gracefulStop; ≤ 30 s).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Warm-up comes before <see cref="Duration"/>: the run lasts Warmup + Duration.</summary>
    public TimeSpan TotalDuration => Warmup + Duration;

    internal void Validate()
    {
        if (VirtualUsers < 1) throw new ArgumentOutOfRangeException(nameof(VirtualUsers), VirtualUsers, "A closed-model run needs at least 1 virtual user.");
        if (ThinkTime < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ThinkTime), ThinkTime, "Think time cannot be negative.");
        RunBounds.Validate(Warmup, TotalDuration, MaxRequests, DrainTimeout);
    }
}

internal static class RunBounds
{
    public static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(30);

    public static void Validate(TimeSpan warmup, TimeSpan total, long? maxRequests, TimeSpan drain)
    {
        if (warmup < TimeSpan.Zero || warmup >= total)
            throw new ArgumentOutOfRangeException(nameof(warmup), warmup, $"Warm-up must be ≥ 0 and shorter than the run ({total}).");
        if (maxRequests is < 1) throw new ArgumentOutOfRangeException(nameof(maxRequests), maxRequests, "MaxRequests must be at least 1 (or null for no bound).");
        // The hard stop returns by end + drain + the 250 ms cancellation grace; k6 caps gracefulStop the same way by default.
        if (drain < TimeSpan.Zero || drain > MaxDrain)
            throw new ArgumentOutOfRangeException(nameof(drain), drain, $"DrainTimeout must be between 0 and {MaxDrain.TotalSeconds:F0} s: the hard stop returns by the run's end + DrainTimeout + 250 ms.");
    }
}
