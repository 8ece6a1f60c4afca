namespace Pipeline.Docker;

/// <summary>
/// A client for the Docker Engine HTTP API on a Unix socket or TCP endpoint. Every call is async, takes a
/// cancellation token, and reports failures as <see cref="DockerException"/> (the HTTP status and the engine's
/// message), or <see cref="DockerEngineUnavailableException"/> when no engine answers. Images, containers,
/// logs and stats live in the other parts of this class.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    private readonly DockerApi api;

    public DockerClient(DockerEndpoint endpoint, DockerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        api = new DockerApi(endpoint, options ?? DockerClientOptions.Default);
    }

    public DockerEndpoint Endpoint => api.Endpoint;

    /// <summary>Succeeds when the engine answers GET /_ping with "OK"; throws <see cref="DockerEngineUnavailableException"/> otherwise.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var body = await api.GetUnversionedAsync("_ping", "ping the engine", cancellationToken).ConfigureAwait(false);
        if (body.Trim() != "OK")
        {
            throw new DockerEngineUnavailableException(api.Endpoint, $"GET /_ping answered \"{body.Trim()}\" instead of \"OK\"");
        }
    }

    public async Task<DockerVersion> VersionAsync(CancellationToken cancellationToken)
    {
        const string operation = "read the engine version";
        var body = await api.GetUnversionedAsync("version", operation, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new DockerVersion(
            root.RequiredString("Version", operation),
            root.RequiredString("ApiVersion", operation),
            root.String("MinAPIVersion"),
            root.String("Os") ?? "unknown",
            root.String("Arch") ?? "unknown",
            root.String("KernelVersion"));
    }

    public void Dispose() => api.Dispose();

    private async Task<JsonElement> SendForJsonAsync(DockerRequest request, CancellationToken cancellationToken)
    {
        var body = await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new DockerException($"Cannot {request.Operation}: the engine answered with something that is not JSON", inner: ex);
        }
    }
}
