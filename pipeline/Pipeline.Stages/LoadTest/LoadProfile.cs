using Pipeline.LoadTesting.Scheduling;

namespace Pipeline.Stages;

/// <summary>
/// The load a LoadTest applies: an open model ramping from a tenth of <see cref="RequestsPerSecond"/> to all of it
/// during the uncounted <see cref="Warmup"/> (so the server's JIT and connection pools warm up under rising load, not
/// a cold burst), then <see cref="Duration"/> measured at the full rate. Bodies cycle through <see cref="DistinctImages"/> test images; every <see cref="CheckEvery"/>-th answer
/// is compared with the gated model's own.
/// </summary>
public sealed record LoadProfile(double RequestsPerSecond, TimeSpan Duration)
{
    /// <summary>The release gate's load when nothing overrides it, and the home of its defaults: 500 requests/s for 20 s after a 5 s ramp.</summary>
    public static LoadProfile Default { get; } = new(500, TimeSpan.FromSeconds(20));

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    public int MaxConnections { get; init; } = 64;
    public int MaxInFlight { get; init; } = 1000;
    public int DistinctImages { get; init; } = 1000;
    public int CheckEvery { get; init; } = 10;

    /// <summary>How the requests travel: REST JSON (the default) or gRPC ModelInfer with typed contents.</summary>
    public LoadProtocol Protocol { get; init; } = LoadProtocol.Rest;

    public TimeSpan Total => Warmup + Duration;

    public ArrivalRate Schedule => Warmup > TimeSpan.Zero
        ? ArrivalRate.Sequence(ArrivalRate.Ramp(RequestsPerSecond / 10, RequestsPerSecond, Warmup), ArrivalRate.Constant(RequestsPerSecond, Duration))
        : ArrivalRate.Constant(RequestsPerSecond, Duration);

    public OpenModelOptions ToOpenModelOptions() => new(Schedule)
    {
        Warmup = Warmup,
        MaxConcurrency = MaxInFlight,
        // Requests still in flight when the schedule ends get 750 ms to finish before they count as errors: a gate run that
        // stalls past that is a failed run, so it is not waited out for long.
        DrainTimeout = TimeSpan.FromMilliseconds(750),
    };

    /// <summary>Refuses values that cannot make a meaningful run, naming the parameter to change.</summary>
    public void Validate()
    {
        if (!(RequestsPerSecond > 0) || !double.IsFinite(RequestsPerSecond))
            throw new ArgumentOutOfRangeException(nameof(RequestsPerSecond), RequestsPerSecond, "--load-rate must be a positive number of requests per second.");
        if (Duration < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "--load-duration must be at least 1 second: percentiles of a shorter run mean little.");
        if (Warmup < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "--load-warmup cannot be negative.");
        if (MaxConnections < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "--load-connections must be at least 1.");
    }
}

/// <summary>The protocol a load test speaks to the serving container.</summary>
public enum LoadProtocol
{
    /// <summary>POST /v2/models/{model}/infer with a JSON body, HTTP/1.1 keep-alive.</summary>
    Rest,

    /// <summary>inference.GRPCInferenceService/ModelInfer with typed contents, HTTP/2 on the gRPC port.</summary>
    Grpc,
}
