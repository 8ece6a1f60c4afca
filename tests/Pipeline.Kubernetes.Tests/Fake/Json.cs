using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>Small JSON helpers the fake server's parts share.</summary>
internal static class Json
{
    public static JsonObject Obj(this JsonNode? node, string key)
    {
        var parent = (JsonObject)node!;
        if (parent[key] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    public static string? Str(this JsonNode? node, params string[] path)
    {
        foreach (var key in path) node = node is JsonObject o ? o[key] : null;
        return node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    }

    public static long Num(this JsonNode? node, params string[] path)
    {
        foreach (var key in path) node = node is JsonObject o ? o[key] : null;
        if (node is not JsonValue v) return 0;
        if (v.TryGetValue(out long l)) return l;
        if (v.TryGetValue(out int i)) return i;
        if (v.TryGetValue(out double d)) return (long)d;
        // resourceVersion and the like are numbers written as strings.
        return v.TryGetValue(out string? s) && long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
    }

    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var key in path) node = node is JsonObject o ? o[key] : null;
        return node;
    }

    public static JsonObject Clone(this JsonObject value) => (JsonObject)value.DeepClone();

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Leaf paths with their values; arrays count as one leaf (atomic lists), as the fake's field ownership treats them.</summary>
    public static Dictionary<string, JsonNode?> Leaves(JsonNode? node)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        Walk(node, "", result);
        return result;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, JsonNode?> into)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, child) in obj) Walk(child, path.Length == 0 ? key : path + "\u001f" + key, into);
        }
        else if (path.Length > 0)
        {
            into[path] = node;
        }
    }

    public static string[] Split(string path) => path.Split('\u001f');
}
