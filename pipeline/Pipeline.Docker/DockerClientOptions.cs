namespace Pipeline.Docker;

/// <summary>How <see cref="DockerClient"/> talks to the engine.</summary>
public sealed record DockerClientOptions
{
    public static DockerClientOptions Default { get; } = new();

    /// <summary>
    /// Limit for calls answered at once (inspect, create, start, stats...). Builds, imports, pushes, waits, stops
    /// and logs are streams that last as long as the work: only the caller's cancellation token limits them.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>API version to speak, e.g. "1.41"; null negotiates with the engine on the first call.</summary>
    public string? ApiVersion { get; init; }
}
