using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// core/v1 Events about an object; a repeat about the same object (kind and uid) with the same type, reason and
/// message counts up one Event (count, lastTimestamp), as the event recorder's correlator merges them.
/// </summary>
internal sealed class Events(ObjectStore store)
{
    public void Record(JsonObject about, string type, string reason, string message, string component)
    {
        var ns = about.Str("metadata", "namespace")!;
        var involved = about.Str("metadata", "name")!;
        var kind = about.Str("kind") ?? "Unknown";
        var identity = string.Join('\u0000', kind, about.Str("metadata", "uid"), type, reason, message);
        var name = $"{involved}.{reason.ToLowerInvariant()}.{(uint)identity.GetHashCode(StringComparison.Ordinal):x8}";
        var now = Json.Timestamp(store.Time.GetUtcNow());
        if (store.Get(ResourceType.Events, ns, name) is not null)
        {
            store.Update(ResourceType.Events, ns, name, e => { e["count"] = e.Num("count") + 1; e["lastTimestamp"] = now; return e; }, component);
            return;
        }

        store.Create(ResourceType.Events, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = kind, ["namespace"] = ns, ["name"] = involved, ["uid"] = about.Str("metadata", "uid"),
                ["apiVersion"] = about.Str("apiVersion"),
            },
            ["reason"] = reason, ["message"] = message, ["type"] = type, ["count"] = 1,
            ["firstTimestamp"] = now, ["lastTimestamp"] = now,
            ["source"] = new JsonObject { ["component"] = component },
        }, component);
    }
}
