namespace Pipeline.Stages;

/// <summary>The load-test gate's thresholds when <c>--load-thresholds</c> does not replace them: their single home.</summary>
public static class LoadTestThresholds
{
    /// <summary>
    /// p99 bounds the slowest requests a user sees; p50 catches a general slowdown (a slower model, a regression in
    /// request handling) long before it reaches the p99 bound; error_rate counts wrong answers as errors; rps sits
    /// 10 % under <see cref="LoadProfile.Default"/>'s rate so a server that keeps up passes and one that falls behind
    /// does not.
    /// </summary>
    public static IReadOnlyList<string> Default { get; } = ["p99<50ms", "p50<5ms", "error_rate<0.001", "rps>=450"];

    /// <summary>
    /// Against the version in production, loaded side by side in the same run: at most 20 % slower at p99 and 5 %
    /// less throughput. Noise on a shared runner moves both sides, so these hold where absolute bounds flip.
    /// </summary>
    public static IReadOnlyList<string> RelativeDefault { get; } = ["p99<=1.2x", "rps>=0.95x"];
}
