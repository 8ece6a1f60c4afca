using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>
/// A readable field-by-field difference between a live object and what it would become, leaving out what the
/// server maintains by itself (managedFields, resourceVersion, uid, timestamps, generation, status).
/// </summary>
public static class ObjectDiff
{
    private static readonly string[] ServerMetadata =
        ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"];

    /// <summary>Lines like "~ spec.template.spec.containers[0].image: a -> b", "+ path: value", "- path: value".</summary>
    public static IReadOnlyList<string> Compare(JsonObject? live, JsonObject proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        var before = Flatten(Normalize(live));
        var after = Flatten(Normalize(proposed));
        var lines = new List<string>();
        foreach (var (path, value) in after)
        {
            if (!before.TryGetValue(path, out var old)) lines.Add($"+ {path}: {value}");
            else if (old != value) lines.Add($"~ {path}: {old} -> {value}");
        }

        lines.AddRange(before.Where(p => !after.ContainsKey(p.Key)).Select(p => $"- {p.Key}: {p.Value}"));
        return lines;
    }

    private static JsonObject? Normalize(JsonObject? value)
    {
        if (value is null) return null;
        var copy = (JsonObject)value.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in ServerMetadata) metadata.Remove(key);
        }

        return copy;
    }

    private static SortedDictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", result);
        return result;
    }

    private static void Walk(JsonNode? node, string path, SortedDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (key, child) in obj)
                {
                    var segment = key.Contains('.') || key.Contains('/') ? $"[\"{key}\"]" : (path.Length == 0 ? key : "." + key);
                    Walk(child, path + segment, into);
                }

                break;
            case JsonArray array when array.Count > 0:
                for (var i = 0; i < array.Count; i++) Walk(array[i], $"{path}[{i}]", into);
                break;
            case null when path.Length == 0:
                break;
            default:
                into[path] = node?.ToJsonString() ?? "null";
                break;
        }
    }
}
