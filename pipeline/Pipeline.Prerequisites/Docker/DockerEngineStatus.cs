namespace Pipeline.Prerequisites;

/// <summary>Whether an engine answered /_ping, its version from /version, or why it did not answer.</summary>
public sealed record DockerEngineStatus(bool IsReachable, string? Version, string? ApiVersion, string? Problem)
{
    public static DockerEngineStatus Unreachable(string problem) => new(false, null, null, problem);
}
