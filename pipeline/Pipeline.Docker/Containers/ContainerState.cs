namespace Pipeline.Docker;

/// <summary>
/// A container's state: <paramref name="Status"/> is "created", "running", "paused", "restarting", "removing",
/// "exited" or "dead"; <paramref name="HealthStatus"/> is "starting", "healthy" or "unhealthy", or null without a health check.
/// </summary>
public sealed record ContainerState(
    string Status,
    bool Running,
    long ExitCode,
    bool OomKilled,
    string? Error,
    string? HealthStatus,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    internal static ContainerState Read(State? state) => state is null
        ? new ContainerState("unknown", false, 0, false, null, null, null, null)
        : new ContainerState(
            state.Status ?? "unknown",
            state.Running,
            state.ExitCode,
            state.OOMKilled,
            state.Error is { Length: > 0 } error ? error : null,
            state.Health?.Status is { Length: > 0 } health ? health : null,
            EngineTime.Parse(state.StartedAt),
            EngineTime.Parse(state.FinishedAt));
}
