using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Pipeline.Kubernetes.Manifests;

/// <summary>The API's JSON conventions: camelCase names, unset (null) fields left out.</summary>
public static class KubernetesJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The object as the API sees it, with apiVersion, kind and metadata first as kubectl prints them.</summary>
    public static JsonObject ToJson(IKubernetesObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var body = JsonSerializer.SerializeToNode(value, value.GetType(), Options)!.AsObject();
        var ordered = new JsonObject
        {
            ["apiVersion"] = value.ApiVersion,
            ["kind"] = value.Kind,
        };
        foreach (var (key, node) in body.ToList())
        {
            if (key is "apiVersion" or "kind") continue;
            body.Remove(key);
            ordered[key] = node;
        }

        return ordered;
    }
}
