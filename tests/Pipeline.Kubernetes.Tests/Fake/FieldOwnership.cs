using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// Server-side apply's field management, simplified to leaf paths with lists treated as atomic: each manager owns
/// the fields it applied (Apply) or last changed (Update). Applying a different value to another manager's field
/// is a conflict unless forced; a field a manager stops applying is removed unless someone else owns it.
/// </summary>
internal sealed class FieldOwnership
{
    private static readonly string[] Unowned =
        ["apiVersion", "kind", "status", "metadata\u001fname", "metadata\u001fnamespace", "metadata\u001fuid", "metadata\u001fresourceVersion",
         "metadata\u001fgeneration", "metadata\u001fcreationTimestamp", "metadata\u001fmanagedFields"];

    private readonly Dictionary<string, Entry> managers = new(StringComparer.Ordinal);

    private sealed record Entry(string Operation, HashSet<string> Paths, DateTimeOffset Time);

    public FieldOwnership Clone()
    {
        var copy = new FieldOwnership();
        foreach (var (name, entry) in managers) copy.managers[name] = entry with { Paths = [.. entry.Paths] };
        return copy;
    }

    public bool SameAs(FieldOwnership other) =>
        managers.Count == other.managers.Count && managers.All(p => other.managers.TryGetValue(p.Key, out var o) && o.Operation == p.Value.Operation && o.Paths.SetEquals(p.Value.Paths));

    public void Update(string manager, string operation, JsonObject? before, JsonObject after, DateTimeOffset now)
    {
        var old = before is null ? [] : Owned(before);
        var changed = Owned(after).Where(p => !old.TryGetValue(p.Key, out var v) || !JsonNode.DeepEquals(v, p.Value)).Select(p => p.Key).ToHashSet();
        if (changed.Count == 0) return;
        var key = manager + "\u0000" + operation;
        foreach (var (name, entry) in managers.Where(m => m.Key != key).ToList())
        {
            entry.Paths.ExceptWith(changed);
            if (entry.Paths.Count == 0) managers.Remove(name);
        }

        var paths = managers.TryGetValue(key, out var existing) ? existing.Paths : [];
        paths.UnionWith(changed);
        managers[key] = new Entry(operation, paths, now);
    }

    public JsonObject Apply(string manager, JsonObject? current, JsonObject applied, bool force, DateTimeOffset now, string resource, string name)
    {
        var appliedLeaves = Owned(applied);
        var currentLeaves = current is null ? [] : Owned(current);
        var key = manager + "\u0000Apply";
        var conflicts = new List<(string Manager, string Path)>();
        foreach (var (path, value) in appliedLeaves)
        {
            if (!currentLeaves.TryGetValue(path, out var live) || JsonNode.DeepEquals(live, value)) continue;
            foreach (var (other, entry) in managers)
            {
                if (other != key && entry.Paths.Contains(path)) conflicts.Add((other, path));
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            var lines = conflicts.Select(c => $"- conflict with \"{c.Manager.Split('\u0000')[0]}\": .{c.Path.Replace('\u001f', '.')}");
            throw new StatusException(409, "Conflict",
                $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {string.Join("\n", lines)}");
        }

        foreach (var (other, path) in conflicts)
        {
            managers[other].Paths.Remove(path);
            if (managers[other].Paths.Count == 0) managers.Remove(other);
        }

        var merged = current?.Clone() ?? new JsonObject();
        var previous = managers.TryGetValue(key, out var mine) ? mine.Paths : [];
        foreach (var path in previous.Where(p => !appliedLeaves.ContainsKey(p)))
        {
            if (!managers.Any(m => m.Key != key && m.Value.Paths.Contains(path))) Remove(merged, Json.Split(path));
        }

        Merge(merged, applied);
        managers[key] = new Entry("Apply", [.. appliedLeaves.Keys], now);
        return merged;
    }

    /// <summary>metadata.managedFields in the FieldsV1 format ({"f:spec":{"f:replicas":{}}}).</summary>
    public JsonArray ToManagedFields(string apiVersion)
    {
        var result = new JsonArray();
        foreach (var (key, entry) in managers.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var fields = new JsonObject();
            foreach (var path in entry.Paths.Order(StringComparer.Ordinal))
            {
                var node = fields;
                foreach (var segment in Json.Split(path)) node = node.Obj("f:" + segment);
            }

            result.Add(new JsonObject
            {
                ["manager"] = key.Split('\u0000')[0],
                ["operation"] = entry.Operation,
                ["apiVersion"] = apiVersion,
                ["time"] = Json.Timestamp(entry.Time),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fields,
            });
        }

        return result;
    }

    private static Dictionary<string, JsonNode?> Owned(JsonObject value) =>
        Json.Leaves(value).Where(p => !Unowned.Any(u => p.Key == u || p.Key.StartsWith(u + "\u001f", StringComparison.Ordinal)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from)
        {
            if (value is JsonObject child && into[key] is JsonObject existing) Merge(existing, child);
            else into[key] = value?.DeepClone();
        }
    }

    private static void Remove(JsonObject root, string[] path)
    {
        var parents = new List<JsonObject> { root };
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (parents[^1][path[i]] is not JsonObject next) return;
            parents.Add(next);
        }

        parents[^1].Remove(path[^1]);
        // Parents left empty by the removal go too, as with real field management.
        for (var i = parents.Count - 1; i > 0 && parents[i].Count == 0; i--) parents[i - 1].Remove(path[i - 1]);
    }
}
