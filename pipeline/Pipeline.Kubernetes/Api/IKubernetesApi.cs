using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Api;

/// <summary>The few API operations a rollout needs, over JSON objects as the server returns them.</summary>
public interface IKubernetesApi
{
    /// <summary>Where the calls go, for messages.</summary>
    Uri Server { get; }

    /// <summary>The object, or null when it does not exist (404).</summary>
    Task<JsonObject?> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<JsonObject>> ListAsync(ResourceType type, string? @namespace, string? labelSelector, CancellationToken cancellationToken);

    /// <summary>
    /// Server-side apply (PATCH application/apply-patch+yaml) of a full manifest with apiVersion, kind and metadata;
    /// returns the object as stored, or as it would be stored when <paramref name="dryRun"/>.
    /// </summary>
    Task<JsonObject> ApplyAsync(JsonObject manifest, string fieldManager, bool force, bool dryRun, CancellationToken cancellationToken);

    /// <summary>RFC 6902 JSON patch (application/json-patch+json).</summary>
    Task<JsonObject> JsonPatchAsync(ResourceType type, string? @namespace, string name, JsonArray patch, string fieldManager, CancellationToken cancellationToken);

    /// <summary>
    /// Changes to objects of <paramref name="type"/> after <paramref name="resourceVersion"/> (without one: ADDED for
    /// what exists now, then changes), until the server ends the watch or <paramref name="cancellationToken"/> fires.
    /// </summary>
    IAsyncEnumerable<KubernetesWatchEvent> WatchAsync(ResourceType type, string? @namespace, string? labelSelector, string? resourceVersion, CancellationToken cancellationToken);
}

/// <summary>One event of a watch: ADDED, MODIFIED, DELETED or BOOKMARK, and the object as the server sent it.</summary>
public sealed record KubernetesWatchEvent(string Type, JsonObject Object);

/// <summary>A non-success answer, with the Status reason and message the server gave.</summary>
public sealed class KubernetesApiException(string message, int statusCode, string? reason) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The Status reason (NotFound, Conflict, Invalid, Forbidden, ...), when the server sent one.</summary>
    public string? Reason { get; } = reason;
}
