using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Configuration;

namespace Pipeline.Kubernetes.Api;

/// <summary>
/// <see cref="IKubernetesApi"/> over HTTP(S): the connection's CA and client certificate on the TLS handshake,
/// its bearer token on each request. Tokens are fetched per request (token files rotate); a client certificate is
/// fixed when the client is created, as TLS needs it up front.
/// </summary>
public sealed class KubernetesRestClient : IKubernetesApi, IDisposable
{
    private readonly HttpClient http;
    private readonly IKubernetesCredentials credentials;

    private KubernetesRestClient(HttpClient http, KubernetesConnection connection)
    {
        this.http = http;
        credentials = connection.Credentials;
        Connection = connection;
    }

    public Uri Server => Connection.Server;

    /// <summary>Where this client talks to, including the context's default namespace.</summary>
    public KubernetesConnection Connection { get; }

    public static async Task<KubernetesRestClient> CreateAsync(KubernetesConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var initial = await connection.Credentials.GetAsync(cancellationToken);
        var handler = new SocketsHttpHandler
        {
            SslOptions = TlsTrust.ClientOptions(connection, initial.ClientCertificate),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var http = new HttpClient(handler) { BaseAddress = connection.Server, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("mlops-pipeline/1.0");
        return new KubernetesRestClient(http, connection);
    }

    public async Task<JsonObject?> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, type.Path(@namespace, name));
        return await SendAsync(request, $"get {type.QualifiedName}/{name}", allowNotFound: true, cancellationToken);
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceType type, string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        var path = type.Path(@namespace);
        if (labelSelector is not null) path += "?labelSelector=" + Uri.EscapeDataString(labelSelector);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var list = await SendAsync(request, $"list {type.QualifiedName}", allowNotFound: false, cancellationToken);
        var kind = type.Kind;
        // List items carry no apiVersion/kind on a real server; add them so items look like single GETs.
        return (list!["items"] as JsonArray ?? []).OfType<JsonObject>().Select(item =>
        {
            item["apiVersion"] ??= type.ApiVersion;
            item["kind"] ??= kind;
            return item;
        }).ToList();
    }

    public async Task<JsonObject> ApplyAsync(JsonObject manifest, string fieldManager, bool force, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var type = ResourceType.ForObject(manifest["apiVersion"]?.GetValue<string>() ?? "", manifest["kind"]?.GetValue<string>() ?? "");
        var metadata = manifest["metadata"] as JsonObject ?? throw new ArgumentException("The manifest has no metadata.", nameof(manifest));
        var name = metadata["name"]?.GetValue<string>() ?? throw new ArgumentException("The manifest has no metadata.name.", nameof(manifest));
        var query = $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force={(force ? "true" : "false")}&fieldValidation=Strict" + (dryRun ? "&dryRun=All" : "");
        using var request = new HttpRequestMessage(HttpMethod.Patch, type.Path(metadata["namespace"]?.GetValue<string>(), name) + query)
        {
            // JSON is YAML: the apply content type accepts it, and it needs no YAML emitter's quoting rules.
            Content = new StringContent(manifest.ToJsonString(), Encoding.UTF8, "application/apply-patch+yaml"),
        };
        return (await SendAsync(request, $"apply {type.QualifiedName}/{name}{(dryRun ? " (dry run)" : "")}", allowNotFound: false, cancellationToken))!;
    }

    public async Task<JsonObject> JsonPatchAsync(ResourceType type, string? @namespace, string name, JsonArray patch, string fieldManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        using var request = new HttpRequestMessage(HttpMethod.Patch, type.Path(@namespace, name) + "?fieldManager=" + Uri.EscapeDataString(fieldManager))
        {
            Content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/json-patch+json"),
        };
        return (await SendAsync(request, $"patch {type.QualifiedName}/{name}", allowNotFound: false, cancellationToken))!;
    }

    private async Task<JsonObject?> SendAsync(HttpRequestMessage request, string what, bool allowNotFound, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var current = await credentials.GetAsync(cancellationToken);
        if (current.BearerToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.BearerToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException($"Cannot {what}: the API server {Server} did not answer ({e.Message}).", 0, null);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode) throw Failure(what, response.StatusCode, body);
            try
            {
                return JsonNode.Parse(body) as JsonObject ?? throw new KubernetesApiException($"Cannot {what}: the answer is not a JSON object.", (int)response.StatusCode, null);
            }
            catch (JsonException e)
            {
                throw new KubernetesApiException($"Cannot {what}: the answer is not JSON ({e.Message}).", (int)response.StatusCode, null);
            }
        }
    }

    private KubernetesApiException Failure(string what, HttpStatusCode status, string body)
    {
        string? reason = null;
        var message = body.Length > 300 ? body[..300] + "..." : body;
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } statusObject && statusObject["kind"]?.GetValue<string>() == "Status")
            {
                reason = statusObject["reason"]?.GetValue<string>();
                message = statusObject["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (JsonException)
        {
            // Not a Status object (e.g. a proxy's HTML page): the raw text, shortened, is the best there is.
        }

        var hint = status switch
        {
            HttpStatusCode.Unauthorized => " Check the kubeconfig user's credentials (" + credentials.Description + ").",
            HttpStatusCode.Forbidden => " The user lacks RBAC permission for this.",
            _ => "",
        };
        return new KubernetesApiException($"Cannot {what}: {(int)status} {reason ?? status.ToString()}: {message}.{hint}", (int)status, reason);
    }

    public void Dispose() => http.Dispose();
}
