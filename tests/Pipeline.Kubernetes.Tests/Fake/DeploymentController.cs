using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// The Deployment controller's rolling update, step by step (pkg/controller/deployment): a ReplicaSet per pod
/// template named by its hash, revisions in deployment.kubernetes.io/revision (an old ReplicaSet whose template
/// comes back is reused and renumbered, which is what makes undo work), scale-up bounded by maxSurge and
/// scale-down by maxUnavailable, status counts, and the Progressing/Available conditions including
/// ProgressDeadlineExceeded. Pods are simulated by <see cref="PodSimulator"/>.
/// </summary>
internal sealed class DeploymentController(ObjectStore store)
{
    public const string Manager = "kube-controller-manager";
    private const string RevisionKey = "deployment.kubernetes.io/revision";

    private readonly PodSimulator pods = new(store);
    private readonly Events events = new(store);
    private readonly AutoscalerController autoscaler = new(store, metricsWarningPeriod: TimeSpan.FromMilliseconds(500));

    public async Task RunAsync(TimeSpan tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) Step();
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }

    /// <summary>One pass of the kubelet simulation, the autoscalers and every Deployment's reconciliation.</summary>
    public void Step()
    {
        lock (store.Gate)
        {
            pods.Advance();
            autoscaler.Step();
            foreach (var deployment in store.List(ResourceType.Deployments, null))
            {
                Reconcile(deployment);
            }
        }
    }

    private void Reconcile(JsonObject deployment)
    {
        var ns = deployment.Str("metadata", "namespace")!;
        var name = deployment.Str("metadata", "name")!;
        var uid = deployment.Str("metadata", "uid");
        var owned = store.List(ResourceType.ReplicaSets, ns, rs => (rs.At("metadata", "ownerReferences") as JsonArray ?? [])
            .Any(o => o.Str("uid") == uid)).ToList();
        RefreshStatuses(owned);
        var template = deployment.At("spec", "template")!;
        var newRs = owned.FirstOrDefault(rs => JsonNode.DeepEquals(ReplicaSets.TemplateWithoutHash(rs), template));
        var old = owned.Where(rs => rs != newRs).OrderBy(rs => rs.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).ToList();
        var maxOldRevision = old.Select(Revision).DefaultIfEmpty(0).Max();
        string? progressingReason = null;
        if (newRs is null)
        {
            newRs = ReplicaSets.Create(store, deployment, maxOldRevision + 1, Manager);
            progressingReason = "NewReplicaSetCreated";
        }
        else if (Revision(newRs) <= maxOldRevision)
        {
            newRs = ReplicaSets.Renumber(store, deployment, newRs, maxOldRevision + 1, Manager);
        }

        var revision = newRs.Str("metadata", "annotations", RevisionKey)!;
        if (deployment.Str("metadata", "annotations", RevisionKey) != revision)
        {
            deployment = store.Update(ResourceType.Deployments, ns, name, d => { d.Obj("metadata").Obj("annotations")[RevisionKey] = revision; return d; }, Manager);
        }

        var desired = deployment.At("spec", "replicas") is null ? 1 : (int)deployment.Num("spec", "replicas");
        var (surge, unavailable) = RollingLimits(deployment, desired);
        newRs = ScaleNew(deployment, newRs, old, desired, surge);
        old = ScaleDownOld(deployment, newRs, old, desired - unavailable);
        foreach (var rs in old.Prepend(newRs)) pods.Sync(rs);
        newRs = RefreshStatuses([newRs])[0];
        old = RefreshStatuses(old);
        ReplicaSets.PruneHistory(store, deployment, old);
        DeploymentStatus.Update(store, deployment, newRs, old, desired, desired - unavailable, progressingReason, Manager);
    }

    private JsonObject ScaleNew(JsonObject deployment, JsonObject newRs, List<JsonObject> old, int desired, int surge)
    {
        var current = (int)newRs.Num("spec", "replicas");
        int target;
        if (current > desired)
        {
            target = desired;
        }
        else
        {
            var total = current + old.Sum(rs => (int)rs.Num("spec", "replicas"));
            target = Math.Min(desired, current + Math.Max(0, desired + surge - total));
        }

        return target == current ? newRs : Scale(deployment, newRs, target);
    }

    private List<JsonObject> ScaleDownOld(JsonObject deployment, JsonObject newRs, List<JsonObject> old, int minAvailable)
    {
        if (old.Sum(rs => rs.Num("spec", "replicas")) == 0) return old;
        var all = old.Prepend(newRs).ToList();
        var allPods = all.Sum(rs => (int)rs.Num("spec", "replicas"));
        var newUnavailable = (int)(newRs.Num("spec", "replicas") - newRs.Num("status", "availableReplicas"));
        var maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) return old;
        var result = new List<JsonObject>();
        var cleaned = 0;
        // First the old pods that are not available anyway: removing them costs no capacity.
        foreach (var rs in old)
        {
            var unhealthy = (int)(rs.Num("spec", "replicas") - rs.Num("status", "availableReplicas"));
            var down = Math.Min(maxScaledDown - cleaned, Math.Max(0, unhealthy));
            cleaned += down;
            result.Add(down > 0 ? Scale(deployment, rs, (int)rs.Num("spec", "replicas") - down) : rs);
        }

        var available = result.Prepend(newRs).Sum(rs => (int)rs.Num("status", "availableReplicas"));
        var allowed = available - minAvailable;
        for (var i = 0; i < result.Count && allowed > 0; i++)
        {
            var replicas = (int)result[i].Num("spec", "replicas");
            var down = Math.Min(replicas, allowed);
            if (down == 0) continue;
            allowed -= down;
            result[i] = Scale(deployment, result[i], replicas - down);
        }

        return result;
    }

    private JsonObject Scale(JsonObject deployment, JsonObject rs, int replicas)
    {
        var from = rs.Num("spec", "replicas");
        var name = rs.Str("metadata", "name")!;
        var scaled = store.Update(ResourceType.ReplicaSets, rs.Str("metadata", "namespace"), name, r =>
        {
            r.Obj("spec")["replicas"] = replicas;
            r.Obj("metadata").Obj("annotations")["deployment.kubernetes.io/desired-replicas"] = deployment.Num("spec", "replicas").ToString(System.Globalization.CultureInfo.InvariantCulture);
            return r;
        }, Manager);
        events.Record(deployment, "Normal", "ScalingReplicaSet", $"Scaled {(replicas > from ? "up" : "down")} replica set {name} from {from} to {replicas}", "deployment-controller");
        return scaled;
    }

    private List<JsonObject> RefreshStatuses(List<JsonObject> replicaSets) =>
        replicaSets.Select(rs =>
        {
            var podList = pods.Of(rs);
            var ready = podList.Count(PodSimulator.IsReady);
            var status = new JsonObject
            {
                ["replicas"] = podList.Count,
                ["fullyLabeledReplicas"] = podList.Count,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
                ["observedGeneration"] = rs.Num("metadata", "generation"),
            };
            return store.Update(ResourceType.ReplicaSets, rs.Str("metadata", "namespace"), rs.Str("metadata", "name")!, r => { r["status"] = status; return r; }, Manager, status: true);
        }).ToList();

    private static long Revision(JsonObject rs) => long.TryParse(rs.Str("metadata", "annotations", RevisionKey), out var r) ? r : 0;

    /// <summary>maxSurge rounds up and maxUnavailable down; both zero would stall, so unavailable becomes 1 (as upstream).</summary>
    private static (int Surge, int Unavailable) RollingLimits(JsonObject deployment, int desired)
    {
        static int Resolve(JsonNode? value, int desired, bool roundUp, int fallbackPercent)
        {
            if (value is JsonValue v && v.TryGetValue(out int count)) return count;
            var text = value is JsonValue s && s.TryGetValue(out string? t) ? t : $"{fallbackPercent}%";
            var percent = double.Parse(text.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) * desired / 100;
            return (int)(roundUp ? Math.Ceiling(percent) : Math.Floor(percent));
        }

        var rolling = deployment.At("spec", "strategy", "rollingUpdate");
        var surge = Resolve(rolling.At("maxSurge"), desired, roundUp: true, 25);
        var unavailable = Resolve(rolling.At("maxUnavailable"), desired, roundUp: false, 25);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, Math.Min(unavailable, desired));
    }
}
