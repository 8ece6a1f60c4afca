namespace Pipeline.Prerequisites;

/// <summary>How Setup starts and waits for dockerd when no engine answers.</summary>
public sealed record DockerDaemonOptions
{
    public static DockerDaemonOptions Default { get; } = new();

    /// <summary>Where a dockerd we start writes its output (appended; read it when the engine does not come up).</summary>
    public string LogFile { get; init; } = "/var/log/mlops-dockerd.log";

    /// <summary>dockerd's own pid file: a live process named there is a dockerd still starting, not one to duplicate.</summary>
    public string PidFile { get; init; } = "/var/run/docker.pid";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
