namespace Pipeline.Docker;

/// <summary>
/// The project's Docker operations on Docker.DotNet: build from a context with streamed progress and the failing
/// step named, push and pull with redacted credentials, hardened containers, logs, stats, health and SIGTERM stops.
/// Every call is async, takes a cancellation token, and reports failures as <see cref="DockerException"/> (the HTTP
/// status and the engine's message), or <see cref="DockerEngineUnavailableException"/> when no engine answers.
/// Images, containers, logs and stats live in the other parts of this class.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    private readonly EngineConnection engine;

    public DockerClient(DockerEndpoint endpoint, DockerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        engine = new EngineConnection(endpoint, options ?? DockerClientOptions.Default);
    }

    public DockerEndpoint Endpoint => engine.Endpoint;

    /// <summary>Succeeds when the engine answers GET /_ping; throws <see cref="DockerEngineUnavailableException"/> when none answers.</summary>
    public Task PingAsync(CancellationToken cancellationToken) =>
        engine.ProbeAsync("ping the engine", async (client, token) =>
        {
            await client.System.PingAsync(token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<DockerVersion> VersionAsync(CancellationToken cancellationToken)
    {
        var version = await engine.ProbeAsync("read the engine version", (client, token) => client.System.GetVersionAsync(token), cancellationToken)
            .ConfigureAwait(false);
        return new DockerVersion(
            version.Version ?? throw new DockerException("Cannot read the engine version: the engine's answer has no \"Version\""),
            version.APIVersion ?? throw new DockerException("Cannot read the engine version: the engine's answer has no \"ApiVersion\""),
            version.MinAPIVersion,
            version.Os ?? "unknown",
            version.Arch ?? "unknown",
            version.KernelVersion);
    }

    /// <summary>The API version requests use, once the first versioned call chose it (or as pinned in the options).</summary>
    public string? ApiVersion => engine.ApiVersion;

    public void Dispose() => engine.Dispose();

    // Docker.DotNet puts names into URL paths as they are; an empty one would address a different endpoint.
    private static string Name(string name, string what = "container") =>
        string.IsNullOrWhiteSpace(name)
            ? throw new ArgumentException($"The {what} name is empty: pass an ID, a name or an image reference", nameof(name))
            : name;
}
