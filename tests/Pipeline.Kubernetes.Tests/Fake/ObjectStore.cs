using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>One change, kept for watches: ADDED, MODIFIED or DELETED with the object as it then was.</summary>
internal sealed record StoredEvent(long ResourceVersion, string Type, ResourceType Resource, JsonObject Object);

/// <summary>
/// The fake's etcd: objects with uid, creationTimestamp, a cluster-wide resourceVersion, generation bumped on spec
/// changes, field ownership per manager (see <see cref="FieldOwnership"/>), and a change log for watches.
/// Every method takes the one lock, so each request and controller step sees and leaves a consistent state.
/// </summary>
internal sealed class ObjectStore(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Type, string Namespace, string Name), JsonObject> objects = new();
    private readonly Dictionary<(string Type, string Namespace, string Name), FieldOwnership> owners = new();
    private readonly List<StoredEvent> history = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long version = 100;
    private long uidCounter;

    public Lock Gate => gate;

    public long CurrentVersion { get { lock (gate) return version; } }

    public TimeProvider Time => time;

    private static (string, string, string) Key(ResourceType type, string? ns, string name) => (type.QualifiedName, ns ?? "", name);

    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (gate) return objects.TryGetValue(Key(type, ns, name), out var value) ? Render(type, ns, name, value) : null;
    }

    public List<JsonObject> List(ResourceType type, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (gate)
        {
            return objects.Where(p => p.Key.Type == type.QualifiedName && (ns is null || p.Key.Namespace == ns) && (filter?.Invoke(p.Value) ?? true))
                .OrderBy(p => p.Key.Namespace, StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal)
                .Select(p => Render(type, p.Key.Namespace, p.Key.Name, p.Value)).ToList();
        }
    }

    public JsonObject Create(ResourceType type, string? ns, JsonObject value, string manager, bool dryRun = false)
    {
        lock (gate)
        {
            var name = value.Str("metadata", "name") ?? value.Str("metadata", "generateName") + (++uidCounter).ToString("x5", System.Globalization.CultureInfo.InvariantCulture);
            RequireNamespace(type, ns);
            var key = Key(type, ns, name);
            if (objects.ContainsKey(key)) throw new StatusException(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists");
            var stored = value.Clone();
            stored["apiVersion"] = type.ApiVersion;
            stored["kind"] = type.Kind;
            var metadata = stored.Obj("metadata");
            metadata.Remove("managedFields");
            metadata["name"] = name;
            if (type.Namespaced) metadata["namespace"] = ns;
            metadata["uid"] = $"00000000-0000-4000-8000-{++uidCounter:x12}";
            metadata["creationTimestamp"] = Json.Timestamp(time.GetUtcNow());
            metadata["generation"] = 1;
            Normalize(stored);
            Validation.Check(stored, type.Kind, type.Group, name);
            var ownership = new FieldOwnership();
            ownership.Update(manager, "Update", null, stored, time.GetUtcNow());
            if (dryRun) return Decorate(type, stored, ownership, version);
            Commit(type, key, stored, ownership, "ADDED");
            return Render(type, ns, name, stored);
        }
    }

    /// <summary>A whole-object write (PUT, JSON or merge patch): the fields it changes now belong to <paramref name="manager"/>.</summary>
    public JsonObject Update(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change, string manager, bool dryRun = false, bool status = false)
    {
        lock (gate)
        {
            var key = Key(type, ns, name);
            if (!objects.TryGetValue(key, out var current)) throw StatusException.NotFound(type.QualifiedName, name);
            var updated = change(current.Clone());
            KeepServerFields(current, updated, status);
            Normalize(updated);
            if (!status) Validation.Check(updated, type.Kind, type.Group, name);
            var ownership = owners[key].Clone();
            if (!status) ownership.Update(manager, "Update", current, updated, time.GetUtcNow());
            BumpGeneration(current, updated);
            if (dryRun) return Decorate(type, updated, ownership, version);
            if (JsonNode.DeepEquals(current, updated) && ownership.SameAs(owners[key])) return Render(type, ns, name, current);
            Commit(type, key, updated, ownership, "MODIFIED");
            return Render(type, ns, name, updated);
        }
    }

    /// <summary>Server-side apply: create if absent, else merge the applied configuration with field ownership and conflicts.</summary>
    public JsonObject Apply(ResourceType type, string? ns, string name, JsonObject applied, string manager, bool force, bool dryRun)
    {
        lock (gate)
        {
            var key = Key(type, ns, name);
            if (!objects.TryGetValue(key, out var current))
            {
                RequireNamespace(type, ns);
                var created = Create(type, ns, applied, manager, dryRun: true);
                var fresh = new FieldOwnership();
                fresh.Apply(manager, null, applied, force: true, time.GetUtcNow(), type.QualifiedName, name);
                var stored = created.Clone();
                stored.Obj("metadata").Remove("managedFields");
                Normalize(stored);
                if (dryRun) return Decorate(type, stored, fresh, version);
                Commit(type, key, stored, fresh, "ADDED");
                return Render(type, ns, name, stored);
            }

            var ownership = owners[key].Clone();
            var merged = ownership.Apply(manager, current, applied, force, time.GetUtcNow(), type.QualifiedName, name);
            KeepServerFields(current, merged, status: false);
            Normalize(merged);
            Validation.Check(merged, type.Kind, type.Group, name);
            BumpGeneration(current, merged);
            if (dryRun) return Decorate(type, merged, ownership, version);
            if (JsonNode.DeepEquals(current, merged) && ownership.SameAs(owners[key])) return Render(type, ns, name, current);
            Commit(type, key, merged, ownership, "MODIFIED");
            return Render(type, ns, name, merged);
        }
    }

    public JsonObject Delete(ResourceType type, string? ns, string name)
    {
        lock (gate)
        {
            var key = Key(type, ns, name);
            if (!objects.TryGetValue(key, out var current)) throw StatusException.NotFound(type.QualifiedName, name);
            var rendered = Render(type, ns, name, current);
            objects.Remove(key);
            owners.Remove(key);
            version++;
            rendered.Obj("metadata")["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Record(new StoredEvent(version, "DELETED", type, rendered));
            // The garbage collector's background cascade: dependents go with their owner (Deployment → ReplicaSets → Pods).
            var uid = current.Str("metadata", "uid");
            var dependents = objects.Where(p => (p.Value.At("metadata", "ownerReferences") as JsonArray ?? []).Any(o => o.Str("uid") == uid)).Select(p => p.Key).ToList();
            foreach (var dependent in dependents)
            {
                Delete(ResourceType.Known.First(t => t.QualifiedName == dependent.Type), dependent.Namespace.Length == 0 ? null : dependent.Namespace, dependent.Name);
            }

            return rendered;
        }
    }

    /// <summary>Changes after <paramref name="afterVersion"/>, and a task that completes at the next change.</summary>
    public (List<StoredEvent> Events, Task Next) ChangesAfter(long afterVersion)
    {
        lock (gate) return (history.Where(e => e.ResourceVersion > afterVersion).ToList(), changed.Task);
    }

    private void RequireNamespace(ResourceType type, string? ns)
    {
        if (type.Namespaced && !objects.ContainsKey(Key(ResourceType.Namespaces, null, ns!)))
        {
            throw StatusException.NotFound("namespaces", ns!);
        }
    }

    private static void KeepServerFields(JsonObject current, JsonObject updated, bool status)
    {
        var before = current.Obj("metadata");
        var after = updated.Obj("metadata");
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "resourceVersion" })
        {
            after[field] = before[field]?.DeepClone();
        }

        after.Remove("managedFields");
        updated["apiVersion"] = current["apiVersion"]?.DeepClone();
        updated["kind"] = current["kind"]?.DeepClone();
        // The main resource cannot change status, and the status subresource can change nothing else.
        if (!status)
        {
            if (current["status"] is { } s) updated["status"] = s.DeepClone(); else updated.Remove("status");
        }
    }

    /// <summary>
    /// The real server round-trips objects through Go types, which write a pod template's unset creationTimestamp as
    /// null, and defaults them on every write: a Deployment without spec.replicas (never set, or given up by every
    /// field manager) gets 1.
    /// </summary>
    private static void Normalize(JsonObject value)
    {
        if (value.At("spec", "template", "metadata") is JsonObject templateMetadata) templateMetadata["creationTimestamp"] = null;
        if (value.Str("kind") == "Deployment" && value["spec"] is JsonObject spec && spec["replicas"] is null) spec["replicas"] = 1;
    }

    private static void BumpGeneration(JsonObject current, JsonObject updated)
    {
        if (!JsonNode.DeepEquals(current["spec"], updated["spec"]))
        {
            updated.Obj("metadata")["generation"] = current.Num("metadata", "generation") + 1;
        }
    }

    private void Commit(ResourceType type, (string, string, string) key, JsonObject stored, FieldOwnership ownership, string eventType)
    {
        Normalize(stored);
        version++;
        stored.Obj("metadata")["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        objects[key] = stored;
        owners[key] = ownership;
        Record(new StoredEvent(version, eventType, type, Decorate(type, stored, ownership, version)));
    }

    private void Record(StoredEvent stored)
    {
        history.Add(stored);
        var signal = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.SetResult();
    }

    private JsonObject Render(ResourceType type, string? ns, string name, JsonObject stored) =>
        Decorate(type, stored, owners[Key(type, ns, name)], stored.Num("metadata", "resourceVersion"));

    private static JsonObject Decorate(ResourceType type, JsonObject stored, FieldOwnership ownership, long resourceVersion)
    {
        var copy = stored.Clone();
        var metadata = copy.Obj("metadata");
        metadata["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["managedFields"] = ownership.ToManagedFields(type.ApiVersion);
        return copy;
    }
}
