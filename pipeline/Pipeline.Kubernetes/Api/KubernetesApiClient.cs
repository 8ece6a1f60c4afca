using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Configuration;

namespace Pipeline.Kubernetes.Api;

/// <summary>
/// <see cref="IKubernetesApi"/> over KubernetesClient: the connection's library configuration does transport, TLS and
/// authentication; this adapter only shapes paths and queries and turns answers and failures into the port's terms.
/// </summary>
public sealed class KubernetesApiClient : IKubernetesApi, IDisposable
{
    private readonly KubernetesOperations operations;

    public KubernetesApiClient(KubernetesConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        try
        {
            operations = new KubernetesOperations(connection.Configuration);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or System.Security.Cryptography.CryptographicException or FormatException)
        {
            throw new KubernetesConfigurationException($"Cannot set up the client for {connection.Source}: {e.Message}", e);
        }
    }

    public Uri Server => Connection.Server;

    /// <summary>Where this client talks to, including the context's default namespace.</summary>
    public KubernetesConnection Connection { get; }

    public async Task<JsonObject?> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, type.Path(@namespace, name), null, null, $"get {type.QualifiedName}/{name}", allowNotFound: true, cancellationToken);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceType type, string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        var path = type.Path(@namespace) + (labelSelector is null ? "" : "?labelSelector=" + Uri.EscapeDataString(labelSelector));
        var list = await SendAsync(HttpMethod.Get, path, null, null, $"list {type.QualifiedName}", allowNotFound: false, cancellationToken);
        return (list!["items"] as JsonArray ?? []).OfType<JsonObject>().Select(item => Typed(item, type)).ToList();
    }

    public async Task<JsonObject> ApplyAsync(JsonObject manifest, string fieldManager, bool force, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var type = ResourceType.ForObject(manifest["apiVersion"]?.GetValue<string>() ?? "", manifest["kind"]?.GetValue<string>() ?? "");
        var metadata = manifest["metadata"] as JsonObject ?? throw new ArgumentException("The manifest has no metadata.", nameof(manifest));
        var name = metadata["name"]?.GetValue<string>() ?? throw new ArgumentException("The manifest has no metadata.name.", nameof(manifest));
        var query = $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force={(force ? "true" : "false")}&fieldValidation=Strict" + (dryRun ? "&dryRun=All" : "");
        // JSON is YAML: the apply content type accepts it, and it needs no YAML emitter's quoting rules.
        return (await SendAsync(HttpMethod.Patch, type.Path(metadata["namespace"]?.GetValue<string>(), name) + query, manifest.ToJsonString(),
            "application/apply-patch+yaml", $"apply {type.QualifiedName}/{name}{(dryRun ? " (dry run)" : "")}", allowNotFound: false, cancellationToken))!;
    }

    public async Task<JsonObject> JsonPatchAsync(ResourceType type, string? @namespace, string name, JsonArray patch, string fieldManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return (await SendAsync(HttpMethod.Patch, type.Path(@namespace, name) + "?fieldManager=" + Uri.EscapeDataString(fieldManager), patch.ToJsonString(),
            "application/json-patch+json", $"patch {type.QualifiedName}/{name}", allowNotFound: false, cancellationToken))!;
    }

    public async IAsyncEnumerable<KubernetesWatchEvent> WatchAsync(ResourceType type, string? @namespace, string? labelSelector, string? resourceVersion,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var what = $"watch {type.QualifiedName}";
        var query = "?watch=true&allowWatchBookmarks=false"
            + (labelSelector is null ? "" : "&labelSelector=" + Uri.EscapeDataString(labelSelector))
            + (resourceVersion is null ? "" : "&resourceVersion=" + Uri.EscapeDataString(resourceVersion));
        using var response = await CallAsync(() => operations.OpenStreamAsync(type.Path(@namespace) + query, cancellationToken), what);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await ReadLineAsync(reader, what, cancellationToken) is { } line)
        {
            if (line.Length == 0) continue;
            var change = JsonNode.Parse(line) as JsonObject;
            var eventType = change?["type"]?.GetValue<string>();
            if (eventType == "ERROR")
            {
                // The watch itself failed (e.g. 410 Gone: the resourceVersion is too old); the object is a Status.
                var status = change!["object"] as JsonObject;
                throw new KubernetesApiException($"Cannot {what}: {status?["code"]} {status?["reason"]}: {status?["message"]}.",
                    status?["code"]?.GetValue<int>() ?? 0, status?["reason"]?.GetValue<string>());
            }

            if (eventType is null || change!["object"] is not JsonObject item) throw new KubernetesApiException($"Cannot {what}: an event is not {{type, object}}.", 200, null);
            yield return new KubernetesWatchEvent(eventType, Typed(item, type));
        }
    }

    /// <summary>List and watch items carry no apiVersion/kind on a real server: give them their type's, as single GETs have.</summary>
    private static JsonObject Typed(JsonObject item, ResourceType type)
    {
        item["apiVersion"] ??= type.ApiVersion;
        item["kind"] ??= type.Kind;
        return item;
    }

    private async Task<string?> ReadLineAsync(StreamReader reader, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException($"Cannot {what}: the API server {Server} broke off the watch ({e.Message}).", 0, null);
        }
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            throw ApiFailures.From(e, what, Connection.CredentialsDescription);
        }
        catch (ServerCertificateNameException e)
        {
            throw new KubernetesApiException($"Cannot {what}: the API server {Server} is not trusted: {e.Message}.", 0, null);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException($"Cannot {what}: the API server {Server} did not answer ({e.Message}).", 0, null);
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            // A credential that is fetched per request (an exec plugin's refresh) failed.
            throw new KubernetesConfigurationException($"Cannot {what}: the credentials of {Connection.Source} failed ({ApiFailures.FirstLine(e)}).", e);
        }
    }

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, string? body, string? contentType, string what, bool allowNotFound, CancellationToken cancellationToken)
    {
        string answer;
        try
        {
            answer = await CallAsync(() => operations.SendAsync(method, path, body, contentType, cancellationToken), what);
        }
        catch (KubernetesApiException e) when (allowNotFound && e.StatusCode == 404)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(answer) as JsonObject ?? throw new KubernetesApiException($"Cannot {what}: the answer is not a JSON object.", 200, null);
        }
        catch (JsonException e)
        {
            throw new KubernetesApiException($"Cannot {what}: the answer is not JSON ({e.Message}).", 200, null);
        }
    }

    public void Dispose() => operations.Dispose();
}
