using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>The Deployment's status from its ReplicaSets, with the controller's rules for the Available and Progressing conditions.</summary>
internal static class DeploymentStatus
{
    public static void Update(ObjectStore store, JsonObject deployment, JsonObject newRs, List<JsonObject> old, int desired, int minAvailable,
        string? newReplicaSetReason, string manager)
    {
        var all = old.Prepend(newRs).ToList();
        var previous = deployment["status"] as JsonObject ?? new JsonObject();
        var status = new JsonObject
        {
            ["observedGeneration"] = deployment.Num("metadata", "generation"),
            ["replicas"] = all.Sum(rs => rs.Num("status", "replicas")),
            ["updatedReplicas"] = newRs.Num("status", "replicas"),
            ["readyReplicas"] = all.Sum(rs => rs.Num("status", "readyReplicas")),
            ["availableReplicas"] = all.Sum(rs => rs.Num("status", "availableReplicas")),
            ["unavailableReplicas"] = Math.Max(0, all.Sum(rs => rs.Num("spec", "replicas")) - all.Sum(rs => rs.Num("status", "availableReplicas"))),
        };
        if (previous["collisionCount"] is { } collisions) status["collisionCount"] = collisions.DeepClone();
        var now = Json.Timestamp(store.Time.GetUtcNow());
        var conditions = (previous["conditions"] as JsonArray ?? []).OfType<JsonObject>().Select(c => c.Clone()).ToList();
        var available = status.Num("availableReplicas") >= minAvailable;
        Set(conditions, "Available", available ? "True" : "False", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, touch: false);

        var rsName = newRs.Str("metadata", "name");
        var progressing = conditions.FirstOrDefault(c => c.Str("type") == "Progressing");
        if (newReplicaSetReason is not null)
        {
            Set(conditions, "Progressing", "True", newReplicaSetReason, $"Created new replica set \"{rsName}\"", now, touch: true);
        }
        else if (progressing is null)
        {
            Set(conditions, "Progressing", "True", "FoundNewReplicaSet", $"Found new replica set \"{rsName}\"", now, touch: true);
        }

        progressing = conditions.First(c => c.Str("type") == "Progressing");
        var complete = status.Num("updatedReplicas") == desired && status.Num("replicas") == desired && status.Num("availableReplicas") == desired;
        var madeProgress = status.Num("updatedReplicas") != previous.Num("updatedReplicas")
            || status.Num("readyReplicas") > previous.Num("readyReplicas")
            || status.Num("availableReplicas") > previous.Num("availableReplicas")
            || previous.Num("replicas") - previous.Num("updatedReplicas") > status.Num("replicas") - status.Num("updatedReplicas");
        if (complete)
        {
            if (progressing.Str("reason") != "NewReplicaSetAvailable")
            {
                Set(conditions, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.", now, touch: true);
            }
        }
        else if (madeProgress && newReplicaSetReason is null)
        {
            Set(conditions, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.", now, touch: true, alwaysTouch: true);
        }
        else if (TimedOut(deployment, progressing, store.Time.GetUtcNow()))
        {
            Set(conditions, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.", now, touch: true);
        }

        status["conditions"] = new JsonArray(conditions.Select(c => (JsonNode)c).ToArray());
        store.Update(ResourceType.Deployments, deployment.Str("metadata", "namespace"), deployment.Str("metadata", "name")!,
            d => { d["status"] = status; return d; }, manager, status: true);
    }

    private static bool TimedOut(JsonObject deployment, JsonObject progressing, DateTimeOffset now)
    {
        if (deployment.At("spec", "progressDeadlineSeconds") is null) return false;
        if (progressing.Str("reason") == "NewReplicaSetAvailable") return false;
        if (progressing.Str("reason") == "ProgressDeadlineExceeded") return true;
        var from = DateTimeOffset.Parse(progressing.Str("lastUpdateTime")!, System.Globalization.CultureInfo.InvariantCulture);
        return from.AddSeconds(deployment.Num("spec", "progressDeadlineSeconds")) < now;
    }

    /// <summary>
    /// Like SetDeploymentCondition: the same status and reason change nothing (unless <paramref name="alwaysTouch"/>, the
    /// controller's special case for progress), a new status moves lastTransitionTime.
    /// </summary>
    private static void Set(List<JsonObject> conditions, string type, string status, string reason, string message, string now, bool touch, bool alwaysTouch = false)
    {
        var existing = conditions.FirstOrDefault(c => c.Str("type") == type);
        if (existing is not null && existing.Str("status") == status && existing.Str("reason") == reason && !alwaysTouch) return;
        var transition = existing is not null && existing.Str("status") == status ? existing.Str("lastTransitionTime") : now;
        var condition = new JsonObject
        {
            ["type"] = type, ["status"] = status,
            ["lastUpdateTime"] = touch || existing is null ? now : existing.Str("lastUpdateTime"),
            ["lastTransitionTime"] = transition, ["reason"] = reason, ["message"] = message,
        };
        if (existing is null) conditions.Add(condition); else conditions[conditions.IndexOf(existing)] = condition;
    }
}
