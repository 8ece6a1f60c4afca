using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>RFC 6902 JSON patch (kubectl rollout undo sends one) and RFC 7386 merge patch.</summary>
internal static class Patches
{
    public static JsonObject ApplyJsonPatch(JsonObject target, JsonArray operations)
    {
        foreach (var operation in operations)
        {
            var op = operation.Str("op") ?? throw StatusException.BadRequest("a JSON patch operation has no \"op\"");
            var path = Pointer(operation.Str("path") ?? throw StatusException.BadRequest($"the JSON patch operation '{op}' has no \"path\""));
            switch (op)
            {
                case "add":
                case "replace":
                    Set(target, path, operation.At("value")?.DeepClone(), requireExisting: op == "replace");
                    break;
                case "remove":
                    Set(target, path, null, requireExisting: true, remove: true);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Navigate(target, path), operation.At("value")))
                    {
                        throw new StatusException(422, "Invalid", $"the JSON patch test at '{operation.Str("path")}' failed");
                    }

                    break;
                default:
                    throw StatusException.BadRequest($"the JSON patch operation '{op}' is not supported by the fake API server");
            }
        }

        return target;
    }

    public static JsonObject ApplyMergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null) target.Remove(key);
            else if (value is JsonObject child) target[key] = ApplyMergePatch(target[key] as JsonObject ?? new JsonObject(), child);
            else target[key] = value.DeepClone();
        }

        return target;
    }

    private static string[] Pointer(string pointer) =>
        pointer.Length == 0 ? [] : pointer.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();

    private static JsonNode? Navigate(JsonNode? node, string[] path)
    {
        foreach (var segment in path)
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static void Set(JsonObject root, string[] path, JsonNode? value, bool requireExisting, bool remove = false)
    {
        if (path.Length == 0) throw StatusException.BadRequest("the fake API server cannot replace a whole object with a JSON patch");
        var parent = Navigate(root, path[..^1]) ?? throw new StatusException(422, "Invalid", $"the JSON patch path '/{string.Join('/', path)}' does not exist");
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o:
                if (requireExisting && !o.ContainsKey(last)) throw new StatusException(422, "Invalid", $"the JSON patch path '/{string.Join('/', path)}' does not exist");
                if (remove) o.Remove(last); else o[last] = value;
                break;
            case JsonArray a:
                var index = last == "-" ? a.Count : int.TryParse(last, out var i) ? i : -1;
                if (index < 0 || index > a.Count || (requireExisting && index == a.Count)) throw new StatusException(422, "Invalid", $"bad JSON patch array index '{last}'");
                if (remove) a.RemoveAt(index);
                else if (requireExisting) a[index] = value;
                else a.Insert(index, value);
                break;
            default:
                throw new StatusException(422, "Invalid", $"the JSON patch path '/{string.Join('/', path)}' does not exist");
        }
    }
}
