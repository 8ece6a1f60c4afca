using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// Pods for ReplicaSets, and a kubelet in one method: a new pod is ContainerCreating for a step, then Running and
/// ready; an image whose name contains "unpullable" stays in ImagePullBackOff and one containing "crashloop" in
/// CrashLoopBackOff, and one that mounts a Secret that does not exist stays ContainerCreating, each with the events a
/// kubelet records.
/// </summary>
internal sealed class PodSimulator(ObjectStore store)
{
    private const string Manager = "kubelet";
    private readonly Events events = new(store);
    private int counter;

    public static bool IsReady(JsonObject pod) =>
        (pod.At("status", "conditions") as JsonArray ?? []).Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");

    public List<JsonObject> Of(JsonObject rs) =>
        store.List(ResourceType.Pods, rs.Str("metadata", "namespace"), p => (p.At("metadata", "ownerReferences") as JsonArray ?? [])
            .Any(o => o.Str("uid") == rs.Str("metadata", "uid")));

    /// <summary>Creates missing pods and deletes surplus ones (not-ready and newest first, as the ReplicaSet controller ranks them).</summary>
    public void Sync(JsonObject rs)
    {
        var ns = rs.Str("metadata", "namespace")!;
        var existing = Of(rs);
        var wanted = (int)rs.Num("spec", "replicas");
        for (var i = existing.Count; i < wanted; i++) Create(rs, ns);
        foreach (var pod in existing.OrderBy(IsReady).ThenByDescending(p => p.Str("metadata", "creationTimestamp"), StringComparer.Ordinal)
                     .ThenByDescending(p => p.Str("metadata", "name"), StringComparer.Ordinal).Take(Math.Max(0, existing.Count - wanted)))
        {
            store.Delete(ResourceType.Pods, ns, pod.Str("metadata", "name")!);
            events.Record(rs, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Str("metadata", "name")}", "replicaset-controller");
        }
    }

    /// <summary>One kubelet step for every pod.</summary>
    public void Advance()
    {
        foreach (var pod in store.List(ResourceType.Pods, null))
        {
            var container = pod.At("status", "containerStatuses") is JsonArray { Count: > 0 } list ? list[0] as JsonObject : null;
            if (container is null || IsReady(pod)) continue;
            var image = container.Str("image") ?? "";
            var name = pod.Str("metadata", "name")!;
            var ns = pod.Str("metadata", "namespace");
            if (MissingSecret(pod) is { } missing)
            {
                SetStatus(ns, name, "Pending", Waiting(container, "ContainerCreating", ""), ready: false);
                events.Record(pod, "Warning", "FailedMount", $"MountVolume.SetUp failed for volume \"{missing.Volume}\" : secret \"{missing.Secret}\" not found", "kubelet");
            }
            else if (image.Contains("unpullable", StringComparison.Ordinal))
            {
                SetStatus(ns, name, "Pending", Waiting(container, "ImagePullBackOff", $"Back-off pulling image \"{image}\""), ready: false);
                events.Record(pod, "Warning", "Failed", $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found", "kubelet");
                events.Record(pod, "Warning", "BackOff", $"Back-off pulling image \"{image}\"", "kubelet");
            }
            else if (image.Contains("crashloop", StringComparison.Ordinal))
            {
                var crashed = Waiting(container, "CrashLoopBackOff", $"back-off 10s restarting failed container=server pod={name}");
                crashed["restartCount"] = container.Num("restartCount") + 1;
                crashed["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error" } };
                SetStatus(ns, name, "Running", crashed, ready: false);
                events.Record(pod, "Warning", "BackOff", $"Back-off restarting failed container {container.Str("name")} in pod {name}", "kubelet");
            }
            else
            {
                var running = container.Clone();
                running["ready"] = true;
                running["started"] = true;
                running["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Json.Timestamp(store.Time.GetUtcNow()) } };
                SetStatus(ns, name, "Running", running, ready: true);
                events.Record(pod, "Normal", "Started", $"Started container {container.Str("name")}", "kubelet");
            }
        }
    }

    /// <summary>The first secret volume whose Secret is not in the pod's namespace (the kubelet retries the mount until it appears).</summary>
    private (string Volume, string Secret)? MissingSecret(JsonObject pod)
    {
        foreach (var volume in pod.At("spec", "volumes") as JsonArray ?? [])
            if (volume.Str("secret", "secretName") is { } secret && store.Get(ResourceType.Secrets, pod.Str("metadata", "namespace"), secret) is null)
                return (volume.Str("name")!, secret);
        return null;
    }

    private void Create(JsonObject rs, string ns)
    {
        var template = rs.At("spec", "template")!;
        var suffix = new string(Enumerable.Range(0, 5).Select(i => "bcdfghjklmnpqrstvwxz2456789"[(++counter * 7 + i * 13) % 27]).ToArray());
        var name = $"{rs.Str("metadata", "name")}-{suffix}";
        var spec = (JsonObject)template["spec"]!.DeepClone();
        spec["nodeName"] = "fake-node";
        var containers = (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Str("name"), ["image"] = c.Str("image"), ["ready"] = false, ["started"] = false, ["restartCount"] = 0,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
        }).ToArray();
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = template.At("metadata", "labels")?.DeepClone(),
                ["annotations"] = template.At("metadata", "annotations")?.DeepClone(),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = rs.Str("metadata", "name"),
                    ["uid"] = rs.Str("metadata", "uid"), ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = Conditions(false),
                ["containerStatuses"] = new JsonArray(containers),
            },
        };
        store.Create(ResourceType.Pods, ns, pod, "kube-controller-manager");
        events.Record(rs, "Normal", "SuccessfulCreate", $"Created pod: {name}", "replicaset-controller");
    }

    private void SetStatus(string? ns, string name, string phase, JsonObject container, bool ready) =>
        store.Update(ResourceType.Pods, ns, name, p =>
        {
            p["status"] = new JsonObject { ["phase"] = phase, ["conditions"] = Conditions(ready), ["containerStatuses"] = new JsonArray(container) };
            return p;
        }, Manager, status: true);

    private static JsonObject Waiting(JsonObject container, string reason, string message)
    {
        var copy = container.Clone();
        copy["ready"] = false;
        copy["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } };
        return copy;
    }

    private static JsonArray Conditions(bool ready) =>
    [
        new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
        new JsonObject { ["type"] = "ContainersReady", ["status"] = ready ? "True" : "False" },
        new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" },
    ];
}
