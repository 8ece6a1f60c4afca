using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>Null-tolerant reads from API objects, where absent means zero or empty (as in the Go types).</summary>
internal static class JsonPaths
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject o ? o[key] : null;
        }

        return node;
    }

    public static string? Text(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static long Number(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v ? v.TryGetValue(out long l) ? l : v.TryGetValue(out int i) ? i : v.TryGetValue(out double d) ? (long)d : 0 : 0;

    public static long? OptionalNumber(this JsonNode? node, params string[] path) => node.At(path) is null ? null : node.Number(path);

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path) =>
        (node.At(path) as JsonArray ?? []).OfType<JsonObject>();

    public static string Name(this JsonNode? node) => node.Text("metadata", "name") ?? "";
}
