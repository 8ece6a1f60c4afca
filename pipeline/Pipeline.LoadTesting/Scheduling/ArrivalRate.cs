namespace Pipeline.LoadTesting.Scheduling;

/// <summary>An open-model arrival schedule: when the i-th request is due, measured from the start of the run.</summary>
public abstract record ArrivalRate(TimeSpan Duration)
{
    /// <summary>Offset of request <paramref name="index"/> (0-based), or null when the schedule has no such request.</summary>
    public abstract TimeSpan? OffsetOf(long index);

    public static ArrivalRate Constant(double perSecond, TimeSpan duration) => new ConstantArrivalRate(perSecond, duration);

    public static ArrivalRate Ramp(double fromPerSecond, double toPerSecond, TimeSpan duration) =>
        new RampingArrivalRate(fromPerSecond, toPerSecond, duration);

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
