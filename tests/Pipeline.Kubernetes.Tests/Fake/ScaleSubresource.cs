using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// The /scale subresource of Deployments and ReplicaSets (autoscaling/v1 Scale), through which the
/// HorizontalPodAutoscaler and `kubectl scale` change spec.replicas without touching the rest of the object.
/// </summary>
internal static class ScaleSubresource
{
    public static bool Serves(ResourceType type) => type == ResourceType.Deployments || type == ResourceType.ReplicaSets;

    /// <summary>The Scale view of a Deployment or ReplicaSet: its replicas and, in status, its selector as a string.</summary>
    public static JsonObject Of(JsonObject target) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = target.Str("metadata", "name"),
            ["namespace"] = target.Str("metadata", "namespace"),
            ["uid"] = target.Str("metadata", "uid"),
            ["resourceVersion"] = target.Str("metadata", "resourceVersion"),
            ["creationTimestamp"] = target.Str("metadata", "creationTimestamp"),
        },
        ["spec"] = new JsonObject { ["replicas"] = target.Num("spec", "replicas") },
        ["status"] = new JsonObject
        {
            ["replicas"] = target.Num("status", "replicas"),
            ["selector"] = string.Join(",", (target.At("spec", "selector", "matchLabels") as JsonObject ?? []).Select(p => $"{p.Key}={p.Value}")),
        },
    };

    /// <summary>Writes <paramref name="scale"/>'s replicas into the target; a negative or non-integer count is 422 Invalid, a stale resourceVersion 409.</summary>
    public static JsonObject Apply(ObjectStore store, ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change, string manager, bool dryRun)
    {
        var updated = store.Update(type, ns, name, current =>
        {
            var scale = change(Of(current));
            if (scale.Str("metadata", "resourceVersion") is { } expected && expected != current.Str("metadata", "resourceVersion"))
            {
                throw new StatusException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            var replicas = scale.At("spec", "replicas");
            if (replicas is not JsonValue value || !value.TryGetValue(out long count))
            {
                throw StatusException.Invalid("Scale", "autoscaling", name, [FieldError.InvalidValue("spec.replicas", replicas, "must be an integer")]);
            }

            if (count < 0)
            {
                throw StatusException.Invalid("Scale", "autoscaling", name, [FieldError.InvalidValue("spec.replicas", replicas, "must be greater than or equal to 0")]);
            }

            current.Obj("spec")["replicas"] = count;
            return current;
        }, manager, dryRun);
        return Of(updated);
    }
}
