using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>
/// What went wrong in words: the pods' container states (ImagePullBackOff, CrashLoopBackOff, not ready) and the
/// recent events of the Deployment, its ReplicaSets and its pods, as `kubectl describe` would show them.
/// </summary>
public static class RolloutDiagnostics
{
    public static async Task<string> DescribeAsync(IKubernetesApi api, string @namespace, string name, CancellationToken cancellationToken, int maxEvents = 15)
    {
        var deployment = await api.GetAsync(ResourceType.Deployments, @namespace, name, cancellationToken);
        if (deployment is null) return $"deployment {@namespace}/{name} does not exist.";
        var selector = RevisionHistory.LabelSelectorText(deployment);
        var replicaSets = await api.ListAsync(ResourceType.ReplicaSets, @namespace, selector, cancellationToken);
        var pods = await api.ListAsync(ResourceType.Pods, @namespace, selector, cancellationToken);
        var report = new StringBuilder();
        report.AppendLine("pods:");
        if (pods.Count == 0) report.AppendLine("  (none)");
        foreach (var pod in pods.OrderBy(p => p.Name(), StringComparer.Ordinal))
        {
            report.AppendLine($"  {pod.Name()}: {pod.Text("status", "phase") ?? "Unknown"}{ContainerSummary(pod)}");
        }

        // By kind and uid, as `kubectl describe` selects them: the HorizontalPodAutoscaler, Service and PodDisruptionBudget
        // share the Deployment's name, and an earlier object of the same name left events too.
        var involved = new HashSet<(string Kind, string Uid)>();
        AddInvolved(involved, ResourceType.Deployments.Kind, [deployment]);
        AddInvolved(involved, ResourceType.ReplicaSets.Kind, replicaSets);
        AddInvolved(involved, ResourceType.Pods.Kind, pods);
        var events = (await api.ListAsync(ResourceType.Events, @namespace, null, cancellationToken))
            .Where(e => involved.Contains((e.Text("involvedObject", "kind") ?? "", e.Text("involvedObject", "uid") ?? "")))
            .OrderBy(e => e.Text("lastTimestamp") ?? e.Text("eventTime") ?? e.Text("metadata", "creationTimestamp"), StringComparer.Ordinal)
            .TakeLast(maxEvents)
            .ToList();
        report.AppendLine("recent events:");
        if (events.Count == 0) report.AppendLine("  (none)");
        foreach (var e in events)
        {
            var count = e.Number("count") > 1 ? $" (x{e.Number("count")})" : "";
            report.AppendLine($"  {e.Text("type")} {e.Text("reason")} {e.Text("involvedObject", "kind")}/{e.Text("involvedObject", "name")}: {e.Text("message")}{count}");
        }

        return report.ToString().TrimEnd();
    }

    private static void AddInvolved(HashSet<(string Kind, string Uid)> involved, string kind, IEnumerable<JsonObject> objects)
    {
        foreach (var value in objects)
        {
            if (value.Text("metadata", "uid") is { } uid) involved.Add((kind, uid));
        }
    }

    /// <summary>The waiting reasons of a pod's containers, e.g. "ImagePullBackOff: Back-off pulling image ...".</summary>
    public static IEnumerable<string> WaitingReasons(JsonObject pod) =>
        pod.Objects("status", "containerStatuses").Select(c => c.Text("state", "waiting", "reason")).OfType<string>();

    private static string ContainerSummary(JsonObject pod)
    {
        var parts = pod.Objects("status", "containerStatuses").Select(c =>
        {
            var state = c.Text("state", "waiting", "reason") is { } waiting
                ? $"waiting ({waiting}{(c.Text("state", "waiting", "message") is { } m ? ": " + m : "")})"
                : c.At("state", "running") is not null ? "running" : c.Text("state", "terminated", "reason") is { } t ? $"terminated ({t})" : "unknown";
            var ready = c.At("ready") is JsonValue r && r.GetValue<bool>() ? "ready" : "not ready";
            return $"{c.Text("name")} {state}, {ready}, {c.Number("restartCount")} restarts";
        }).ToList();
        return parts.Count == 0 ? "" : " - " + string.Join("; ", parts);
    }
}
