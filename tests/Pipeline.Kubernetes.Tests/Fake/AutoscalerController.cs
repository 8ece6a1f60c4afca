using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// The HorizontalPodAutoscaler controller without a metrics server (pkg/controller/podautoscaler): a target outside
/// minReplicas..maxReplicas is scaled into range through its scale subresource (SuccessfulRescale); in range, it
/// cannot read CPU and warns FailedGetResourceMetric, as a cluster without metrics-server does.
/// </summary>
internal sealed class AutoscalerController(ObjectStore store, TimeSpan metricsWarningPeriod)
{
    public const string Manager = "kube-controller-manager";
    private readonly Events events = new(store);
    private readonly Dictionary<string, DateTimeOffset> lastWarning = new(StringComparer.Ordinal);

    public void Step()
    {
        foreach (var hpa in store.List(ResourceType.HorizontalPodAutoscalers, null))
        {
            Reconcile(hpa);
        }
    }

    private void Reconcile(JsonObject hpa)
    {
        var ns = hpa.Str("metadata", "namespace")!;
        if (hpa.Str("spec", "scaleTargetRef", "kind") != "Deployment") return;
        var target = store.Get(ResourceType.Deployments, ns, hpa.Str("spec", "scaleTargetRef", "name") ?? "");
        if (target is null) return;
        var current = target.Num("spec", "replicas");
        var min = hpa.At("spec", "minReplicas") is null ? 1 : hpa.Num("spec", "minReplicas");
        var max = hpa.Num("spec", "maxReplicas");
        // Upstream: a target scaled to zero by hand disables autoscaling.
        if (current == 0) return;
        var (desired, reason) = current > max ? (max, "Current number of replicas above Spec.MaxReplicas")
            : current < min ? (min, "Current number of replicas below Spec.MinReplicas")
            : (current, null);
        if (reason is null)
        {
            WarnNoMetrics(hpa);
            return;
        }

        ScaleSubresource.Apply(store, ResourceType.Deployments, ns, target.Str("metadata", "name")!, scale =>
        {
            scale.Obj("spec")["replicas"] = desired;
            return scale;
        }, Manager, dryRun: false);
        events.Record(hpa, "Normal", "SuccessfulRescale", $"New size: {desired}; reason: {reason}", "horizontal-pod-autoscaler");
    }

    private void WarnNoMetrics(JsonObject hpa)
    {
        var key = hpa.Str("metadata", "uid")!;
        var now = store.Time.GetUtcNow();
        if (lastWarning.TryGetValue(key, out var last) && now - last < metricsWarningPeriod) return;
        lastWarning[key] = now;
        events.Record(hpa, "Warning", "FailedGetResourceMetric",
            "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API", "horizontal-pod-autoscaler");
    }
}
