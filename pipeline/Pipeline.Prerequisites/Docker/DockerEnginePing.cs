using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pipeline.Prerequisites;

/// <summary>
/// Asks a Docker engine whether it is up: GET /_ping must answer 200 "OK"; GET /version then gives
/// the engine and API versions to report.
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
        using var client = endpoint.CreateHttpClient(timeout);
        try
        {
            using var ping = await client.GetAsync("_ping", cancellationToken).ConfigureAwait(false);
            var body = (await ping.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            if (ping.StatusCode != HttpStatusCode.OK || body != "OK")
            {
                return DockerEngineStatus.Unreachable(
                    $"GET /_ping on {endpoint} answered {(int)ping.StatusCode} \"{Shorten(body)}\", expected 200 \"OK\"");
            }

            var (engineVersion, apiVersion, problem) = await ReadVersionAsync(client, cancellationToken).ConfigureAwait(false);
            return new DockerEngineStatus(true, engineVersion, apiVersion, problem);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is TaskCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.Message;
            return DockerEngineStatus.Unreachable($"{endpoint} does not answer: {reason}");
        }
    }

    // The engine answered /_ping, so it is reachable even when /version is odd; the problem is reported, not fatal.
    private static async Task<(string? Version, string? ApiVersion, string? Problem)> ReadVersionAsync(
        HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync("version", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return (null, null, $"GET /version answered {(int)response.StatusCode}");
        }

        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return (Text(json.RootElement, "Version"), Text(json.RootElement, "ApiVersion"), null);
        }
        catch (JsonException ex)
        {
            return (null, null, $"GET /version answered invalid JSON: {ex.Message}");
        }
    }

    private static string? Text(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
