namespace Pipeline.Prerequisites;

/// <summary>
/// Asks a Docker engine whether it is up, through the project's <see cref="DockerClient"/>: GET /_ping must
/// succeed; GET /version then gives the engine and API versions to report.
/// </summary>
public sealed class DockerEnginePing(DockerEndpoint endpoint, TimeSpan? requestTimeout = null)
{
    private readonly TimeSpan timeout = requestTimeout ?? TimeSpan.FromSeconds(5);

    public DockerEndpoint Endpoint => endpoint;

    public async Task<DockerEngineStatus> PingAsync(CancellationToken cancellationToken)
    {
        if (endpoint.UnixSocketPath is { } socketPath && !File.Exists(socketPath))
        {
            return DockerEngineStatus.Unreachable($"{socketPath} does not exist");
        }

        // A fresh client per ping: while an engine is starting, pooled connections would outlive failures.
        using var client = new DockerClient(endpoint, new DockerClientOptions { RequestTimeout = timeout });
        try
        {
            await client.PingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineUnavailableException ex)
        {
            return DockerEngineStatus.Unreachable($"{endpoint} does not answer: {ex.Reason}");
        }
        catch (DockerException ex) when (ex.StatusCode is { } status)
        {
            return DockerEngineStatus.Unreachable(
                $"GET /_ping on {endpoint} answered {(int)status} \"{Shorten(ex.EngineMessage ?? string.Empty)}\", expected 200 \"OK\"");
        }

        // The engine answered /_ping, so it is reachable even when /version is odd; the problem is reported, not fatal.
        try
        {
            var version = await client.VersionAsync(cancellationToken).ConfigureAwait(false);
            return new DockerEngineStatus(true, version.Version, version.ApiVersion, null);
        }
        catch (DockerException ex) when (ex.InnerException is System.Text.Json.JsonException json)
        {
            return new DockerEngineStatus(true, null, null, $"GET /version answered invalid JSON: {json.Message}");
        }
        catch (DockerException ex) when (ex.StatusCode is { } status)
        {
            return new DockerEngineStatus(true, null, null, $"GET /version answered {(int)status}");
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
