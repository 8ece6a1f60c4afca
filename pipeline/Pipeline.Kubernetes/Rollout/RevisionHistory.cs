using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;
using Pipeline.Kubernetes.Manifests;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>A ReplicaSet of the Deployment: its revision and the model version its pod template carries.</summary>
public sealed record Revision(long Number, string? ModelVersion, JsonObject ReplicaSet)
{
    public override string ToString() => $"revision {Number} (version {ModelVersion ?? "unknown"})";
}

/// <summary>
/// The Deployment's revisions as `kubectl rollout history/undo` find them: the ReplicaSets matching its selector
/// and controlled by it (owner reference with its UID), numbered by deployment.kubernetes.io/revision.
/// </summary>
public static class RevisionHistory
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>Annotations undo keeps from the Deployment rather than taking from the ReplicaSet (kubectl's skip list).</summary>
    public static readonly IReadOnlySet<string> DeploymentOwnedAnnotations = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        RevisionAnnotation,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    };

    public static async Task<IReadOnlyList<Revision>> ListAsync(IKubernetesApi api, JsonObject deployment, CancellationToken cancellationToken)
    {
        var uid = deployment.Text("metadata", "uid");
        var selector = LabelSelectorText(deployment);
        var replicaSets = await api.ListAsync(ResourceType.ReplicaSets, deployment.Text("metadata", "namespace"), selector, cancellationToken);
        return replicaSets
            .Where(rs => rs.Objects("metadata", "ownerReferences").Any(o => o.At("controller") is JsonValue c && c.GetValue<bool>() && o.Text("uid") == uid))
            .Select(rs => (rs, number: long.TryParse(rs.Text("metadata", "annotations", RevisionAnnotation), out var n) ? n : -1))
            .Where(x => x.number >= 0)
            .Select(x => new Revision(x.number, x.rs.Text("spec", "template", "metadata", "annotations", ManifestGenerator.ModelVersionAnnotation), x.rs))
            .OrderBy(r => r.Number)
            .ToList();
    }

    /// <summary>matchLabels as a label selector string (the generator's selectors use matchLabels only).</summary>
    public static string LabelSelectorText(JsonObject deployment)
    {
        if (deployment.At("spec", "selector", "matchExpressions") is JsonArray { Count: > 0 })
        {
            throw new NotSupportedException($"The deployment {deployment.Name()} selects pods with matchExpressions; only matchLabels is supported.");
        }

        return string.Join(",", (deployment.At("spec", "selector", "matchLabels") as JsonObject ?? [])
            .Select(p => $"{p.Key}={p.Value?.GetValue<string>()}"));
    }

    /// <summary>The pod template of a ReplicaSet without the controller's pod-template-hash label: the Deployment's template it came from.</summary>
    public static JsonObject TemplateWithoutHash(JsonObject replicaSet)
    {
        var template = (JsonObject)replicaSet.At("spec", "template")!.DeepClone();
        (template.At("metadata", "labels") as JsonObject)?.Remove(PodTemplateHashLabel);
        return template;
    }

    public static bool SameTemplate(JsonObject replicaSet, JsonObject deployment) =>
        JsonNode.DeepEquals(TemplateWithoutHash(replicaSet), WithoutHash(deployment.At("spec", "template")));

    private static JsonNode? WithoutHash(JsonNode? template)
    {
        var copy = template?.DeepClone();
        (copy.At("metadata", "labels") as JsonObject)?.Remove(PodTemplateHashLabel);
        return copy;
    }

    /// <summary>
    /// The patch `kubectl rollout undo` sends: the revision's template as /spec/template, and the ReplicaSet's
    /// annotations (those the controller copied from the Deployment) with the Deployment's own bookkeeping kept.
    /// </summary>
    public static JsonArray UndoPatch(JsonObject deployment, JsonObject replicaSet)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in deployment.At("metadata", "annotations") as JsonObject ?? [])
        {
            if (DeploymentOwnedAnnotations.Contains(key)) annotations[key] = value?.DeepClone();
        }

        foreach (var (key, value) in replicaSet.At("metadata", "annotations") as JsonObject ?? [])
        {
            if (!DeploymentOwnedAnnotations.Contains(key)) annotations[key] = value?.DeepClone();
        }

        return
        [
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = TemplateWithoutHash(replicaSet) },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations },
        ];
    }
}
