namespace Pipeline.Docker;

/// <summary>
/// A container health check: <paramref name="Test"/> is ["CMD", program, args...], ["CMD-SHELL", command] or
/// ["NONE"] (disabled). Unset durations keep the image's values (or the engine's: 30 s interval and timeout, 3 retries).
/// </summary>
public sealed record HealthcheckSpec(IReadOnlyList<string> Test)
{
    public static HealthcheckSpec Disabled { get; } = new(["NONE"]);

    public TimeSpan? Interval { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>Failures in a row before the container is "unhealthy".</summary>
    public int? Retries { get; init; }

    /// <summary>Time to start up, during which failures do not count.</summary>
    public TimeSpan? StartPeriod { get; init; }

    /// <summary>Runs <paramref name="command"/> with the image's /bin/sh.</summary>
    public static HealthcheckSpec Shell(string command) => new(["CMD-SHELL", command]);

    /// <summary>Runs a program directly, without a shell.</summary>
    public static HealthcheckSpec Exec(params string[] programAndArguments) => new(["CMD", .. programAndArguments]);
}
