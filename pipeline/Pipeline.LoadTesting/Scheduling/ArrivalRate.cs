namespace Pipeline.LoadTesting.Scheduling;

/// <summary>An open-model arrival schedule: when the i-th request is due, measured from the start of the run.</summary>
public abstract record ArrivalRate(TimeSpan Duration)
{
    /// <summary>Offset of request <paramref name="index"/> (0-based), or null when the schedule has no such request.</summary>
    public abstract TimeSpan? OffsetOf(long index);

    public static ArrivalRate Constant(double perSecond, TimeSpan duration) => new ConstantArrivalRate(perSecond, duration);

    public static ArrivalRate Ramp(double fromPerSecond, double toPerSecond, TimeSpan duration) =>
        new RampingArrivalRate(fromPerSecond, toPerSecond, duration);

    /// <summary>Schedules one after another, like k6's ramping-arrival-rate stages (e.g. ramp up, then hold).</summary>
    public static ArrivalRate Sequence(params ArrivalRate[] stages) => new SequentialArrivalRate(stages);

    /// <summary>How many requests the schedule sends in all.</summary>
    public long Count
    {
        get
        {
            // Exponential then binary search: OffsetOf is monotonic and null past the end.
            long high = 1;
            while (OffsetOf(high - 1) is not null) high *= 2;
            long low = high / 2;
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                if (OffsetOf(middle) is null) high = middle; else low = middle + 1;
            }
            return low;
        }
    }

    protected static void Validate(double rate, string name, TimeSpan duration)
    {
        if (!double.IsFinite(rate) || rate < 0)
            throw new ArgumentOutOfRangeException(name, rate, "An arrival rate must be a finite number of requests per second ≥ 0.");
        if (duration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "An arrival schedule needs a positive duration.");
    }
}

/// <summary>Requests every 1/rate seconds.</summary>
public sealed record ConstantArrivalRate : ArrivalRate
{
    public ConstantArrivalRate(double perSecond, TimeSpan duration) : base(duration)
    {
        Validate(perSecond, nameof(perSecond), duration);
        if (perSecond == 0) throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "A constant arrival rate must be > 0 requests per second.");
        PerSecond = perSecond;
    }

    public double PerSecond { get; }

    public override TimeSpan? OffsetOf(long index)
    {
        var seconds = index / PerSecond;
        return seconds < Duration.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }
}

/// <summary>
/// Rate rising (or falling) linearly from From to To over Duration. Arrivals by time t are
/// N(t) = r0·t + (r1 − r0)·t²/(2D); the i-th request is due when N(t) = i, solved exactly.
/// </summary>
public sealed record RampingArrivalRate : ArrivalRate
{
    public RampingArrivalRate(double fromPerSecond, double toPerSecond, TimeSpan duration) : base(duration)
    {
        Validate(fromPerSecond, nameof(fromPerSecond), duration);
        Validate(toPerSecond, nameof(toPerSecond), duration);
        if (fromPerSecond == 0 && toPerSecond == 0) throw new ArgumentException("A ramp from 0 to 0 requests per second sends nothing.");
        FromPerSecond = fromPerSecond;
        ToPerSecond = toPerSecond;
    }

    public double FromPerSecond { get; }
    public double ToPerSecond { get; }

    public override TimeSpan? OffsetOf(long index)
    {
        var d = Duration.TotalSeconds;
        var a = (ToPerSecond - FromPerSecond) / (2 * d);
        double t;
        if (Math.Abs(a) < 1e-12)
        {
            t = index / FromPerSecond;
        }
        else
        {
            var discriminant = (FromPerSecond * FromPerSecond) + (4 * a * index);
            if (discriminant < 0) return null;
            t = (-FromPerSecond + Math.Sqrt(discriminant)) / (2 * a);
        }
        return t >= 0 && t < d ? TimeSpan.FromSeconds(t) : null;
    }
}

/// <summary>Stages run back to back: stage k's first request is due when stage k−1 ends.</summary>
public sealed record SequentialArrivalRate : ArrivalRate
{
    private readonly long[] _firstIndex;
    private readonly TimeSpan[] _start;

    public SequentialArrivalRate(IReadOnlyList<ArrivalRate> stages) : base(TotalDuration(stages))
    {
        Stages = stages;
        _firstIndex = new long[stages.Count];
        _start = new TimeSpan[stages.Count];
        for (var i = 1; i < stages.Count; i++)
        {
            _firstIndex[i] = _firstIndex[i - 1] + stages[i - 1].Count;
            _start[i] = _start[i - 1] + stages[i - 1].Duration;
        }
    }

    public IReadOnlyList<ArrivalRate> Stages { get; }

    public override TimeSpan? OffsetOf(long index)
    {
        if (index < 0) return null;
        var stage = Array.BinarySearch(_firstIndex, index);
        // Stages that send nothing share their first index with the next one: take the last stage starting there.
        if (stage < 0) stage = ~stage - 1;
        while (stage + 1 < _firstIndex.Length && _firstIndex[stage + 1] == index) stage++;
        return Stages[stage].OffsetOf(index - _firstIndex[stage]) is { } offset ? _start[stage] + offset : null;
    }

    private static TimeSpan TotalDuration(IReadOnlyList<ArrivalRate> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0) throw new ArgumentException("A sequence of arrival rates needs at least one stage.", nameof(stages));
        return stages.Aggregate(TimeSpan.Zero, (total, stage) => total + (stage ?? throw new ArgumentNullException(nameof(stages))).Duration);
    }
}
