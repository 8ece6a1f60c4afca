using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;
using Pipeline.Kubernetes.Manifests;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>
/// After an undo, makes the version label and model annotations of the Deployment, Service, HorizontalPodAutoscaler
/// and PodDisruptionBudget name the version the restored pod template runs (kubectl's undo changes only the template
/// and annotations, so the objects would otherwise keep naming the version that was undone).
/// </summary>
public static class ServingVersionMetadata
{
    private static readonly ResourceType[] Named =
        [ResourceType.Deployments, ResourceType.Services, ResourceType.HorizontalPodAutoscalers, ResourceType.PodDisruptionBudgets];

    private static readonly string[] VersionLabels = [ManifestGenerator.VersionLabel];

    private static readonly string[] VersionAnnotations =
        [ManifestGenerator.ModelNameAnnotation, ManifestGenerator.ModelVersionAnnotation, ManifestGenerator.ModelSha256Annotation];

    /// <summary>Patches each object of the release named <paramref name="name"/> whose labels or annotations differ from the template's; returns the kinds patched.</summary>
    public static async Task<IReadOnlyList<string>> AlignAsync(IKubernetesApi api, string @namespace, string name, JsonObject podTemplate, string fieldManager,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(podTemplate);
        var patched = new List<string>();
        foreach (var type in Named)
        {
            var live = await api.GetAsync(type, @namespace, name, cancellationToken);
            if (live is null) continue;
            var patch = PatchFor(live, podTemplate);
            if (patch.Count == 0) continue;
            await api.JsonPatchAsync(type, @namespace, name, patch, fieldManager, cancellationToken);
            patched.Add(type.Kind);
        }

        return patched;
    }

    /// <summary>JSON patch operations that set the template's version label and model annotations on <paramref name="live"/>.</summary>
    public static JsonArray PatchFor(JsonObject live, JsonObject podTemplate)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(podTemplate);
        var patch = new JsonArray();
        AddOperations(patch, live, podTemplate, "labels", VersionLabels);
        AddOperations(patch, live, podTemplate, "annotations", VersionAnnotations);
        return patch;
    }

    private static void AddOperations(JsonArray patch, JsonObject live, JsonObject podTemplate, string map, IEnumerable<string> keys)
    {
        var wanted = keys.Select(k => (Key: k, Value: podTemplate.Text("metadata", map, k)))
            .Where(p => p.Value is not null && live.Text("metadata", map, p.Key) != p.Value)
            .ToList();
        if (wanted.Count == 0) return;
        if (live.At("metadata", map) is not JsonObject)
        {
            // "add" into a map that does not exist fails; create the map with the values instead.
            patch.Add(new JsonObject { ["op"] = "add", ["path"] = $"/metadata/{map}", ["value"] = new JsonObject(wanted.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) });
            return;
        }

        foreach (var (key, value) in wanted)
        {
            // "add" replaces an existing member (RFC 6902 4.1); '/' in a key is escaped as ~1.
            patch.Add(new JsonObject { ["op"] = "add", ["path"] = $"/metadata/{map}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}", ["value"] = value });
        }
    }
}
