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
    internal static ContainerState Read(JsonElement state) => new(
        state.String("Status") ?? "unknown",
        state.Boolean("Running"),
        state.Int64("ExitCode"),
        state.Boolean("OOMKilled"),
        state.String("Error") is { Length: > 0 } error ? error : null,
        state.Object("Health")?.String("Status") is { Length: > 0 } health ? health : null,
        state.Time("StartedAt"),
        state.Time("FinishedAt"));
}
