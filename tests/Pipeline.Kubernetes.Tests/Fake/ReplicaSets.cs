using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>Creating, renumbering and pruning a Deployment's ReplicaSets as the controller does.</summary>
internal static class ReplicaSets
{
    private const string RevisionKey = "deployment.kubernetes.io/revision";
    private const string HashLabel = "pod-template-hash";

    /// <summary>Annotations the controller does not copy from the Deployment to its ReplicaSets.</summary>
    private static readonly HashSet<string> NotCopied =
    [
        "kubectl.kubernetes.io/last-applied-configuration", RevisionKey, "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    ];

    public static JsonNode TemplateWithoutHash(JsonObject rs)
    {
        var template = rs.At("spec", "template")!.DeepClone();
        (template.At("metadata", "labels") as JsonObject)?.Remove(HashLabel);
        if (template.At("metadata", "labels") is JsonObject { Count: 0 }) ((JsonObject)template["metadata"]!).Remove("labels");
        return template;
    }

    public static JsonObject Create(ObjectStore store, JsonObject deployment, long revision, string manager)
    {
        var template = (JsonObject)deployment.At("spec", "template")!.DeepClone();
        var hash = TemplateHash(template, deployment.Num("status", "collisionCount"));
        template.Obj("metadata").Obj("labels")[HashLabel] = hash;
        var selector = (JsonObject)deployment.At("spec", "selector")!.DeepClone();
        selector.Obj("matchLabels")[HashLabel] = hash;
        var name = $"{deployment.Str("metadata", "name")}-{hash}";
        var annotations = CopiedAnnotations(deployment);
        annotations[RevisionKey] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        annotations["deployment.kubernetes.io/desired-replicas"] = deployment.Num("spec", "replicas").ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rs = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = template.At("metadata", "labels")!.DeepClone(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = deployment.Str("metadata", "name"),
                    ["uid"] = deployment.Str("metadata", "uid"), ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject { ["replicas"] = 0, ["selector"] = selector, ["template"] = template },
        };
        return store.Create(ResourceType.ReplicaSets, deployment.Str("metadata", "namespace"), rs, manager);
    }

    /// <summary>An old template came back (undo): the ReplicaSet gets the next revision and the Deployment's annotations again.</summary>
    public static JsonObject Renumber(ObjectStore store, JsonObject deployment, JsonObject rs, long revision, string manager) =>
        store.Update(ResourceType.ReplicaSets, rs.Str("metadata", "namespace"), rs.Str("metadata", "name")!, r =>
        {
            var annotations = r.Obj("metadata").Obj("annotations");
            var previous = annotations[RevisionKey]?.GetValue<string>();
            foreach (var (key, value) in CopiedAnnotations(deployment)) annotations[key] = value?.DeepClone();
            annotations[RevisionKey] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var history = annotations["deployment.kubernetes.io/revision-history"]?.GetValue<string>();
            annotations["deployment.kubernetes.io/revision-history"] = history is null ? previous : $"{history},{previous}";
            return r;
        }, manager);

    /// <summary>Old ReplicaSets scaled to zero beyond revisionHistoryLimit (default 10) are deleted, oldest first.</summary>
    public static void PruneHistory(ObjectStore store, JsonObject deployment, List<JsonObject> old)
    {
        var limit = deployment.At("spec", "revisionHistoryLimit") is null ? 10 : deployment.Num("spec", "revisionHistoryLimit");
        var idle = old.Where(rs => rs.Num("spec", "replicas") == 0 && rs.Num("status", "replicas") == 0)
            .OrderBy(rs => long.TryParse(rs.Str("metadata", "annotations", RevisionKey), out var r) ? r : 0).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - (int)limit)))
        {
            store.Delete(ResourceType.ReplicaSets, rs.Str("metadata", "namespace"), rs.Str("metadata", "name")!);
        }
    }

    private static JsonObject CopiedAnnotations(JsonObject deployment)
    {
        var result = new JsonObject();
        foreach (var (key, value) in deployment.At("metadata", "annotations") as JsonObject ?? [])
        {
            if (!NotCopied.Contains(key)) result[key] = value?.DeepClone();
        }

        return result;
    }

    /// <summary>FNV-1a of the template (keys sorted) and collision count, spelled with the controller's safe alphabet.</summary>
    private static string TemplateHash(JsonObject template, long collisionCount)
    {
        var text = Canonical(template) + collisionCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619;
        }

        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return new string(hash.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => alphabet[c % alphabet.Length]).ToArray());
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
