namespace Pipeline.Docker;

/// <summary>What GET /version says about the engine.</summary>
public sealed record DockerVersion(
    string Version,
    string ApiVersion,
    string? MinimumApiVersion,
    string Os,
    string Architecture,
    string? KernelVersion);
