using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>
/// Gives a Deployment's spec.replicas to a field manager of its own, so the pipeline's apply can leave the field to
/// the HorizontalPodAutoscaler. Server-side apply removes a field its manager stops applying unless another manager
/// owns it too, and the server then defaults it to 1; so before the first apply without replicas the count is
/// applied, unchanged, by the handover manager (the Kubernetes documentation's "transferring ownership" to an HPA),
/// and the autoscaler's scale updates take it from there.
/// </summary>
public static class ReplicasHandover
{
    /// <summary>The manager that holds spec.replicas between the pipeline and the autoscaler.</summary>
    public static string ManagerFor(string fieldManager) => fieldManager + "-replicas-handover";

    /// <summary>Whether a manager other than the pipeline's apply owns spec.replicas (the handover, the autoscaler, kubectl scale).</summary>
    public static bool OwnedByOthers(JsonObject deployment, string fieldManager)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.Objects("metadata", "managedFields").Any(m =>
            m.At("fieldsV1", "f:spec", "f:replicas") is not null &&
            !(m.Text("manager") == fieldManager && m.Text("operation") == "Apply"));
    }

    /// <summary>
    /// Before the pipeline applies a live Deployment without replicas: unless someone else already owns the count,
    /// the handover manager applies it as it is, so the pipeline giving it up changes nothing.
    /// Returns whether a handover was applied.
    /// </summary>
    public static async Task<bool> EnsureBeforeApplyAsync(IKubernetesApi api, JsonObject live, int replicasIfUnset, string fieldManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(live);
        if (OwnedByOthers(live, fieldManager)) return false;
        var replicas = live.OptionalNumber("spec", "replicas") ?? replicasIfUnset;
        await api.ApplyAsync(Manifest(live.Text("metadata", "namespace")!, live.Name(), replicas), ManagerFor(fieldManager), force: true, dryRun: false, cancellationToken);
        return true;
    }

    /// <summary>After the pipeline created a Deployment without replicas (the server set 1): the release's starting count, owned by the handover manager.</summary>
    public static Task SetInitialAsync(IKubernetesApi api, string @namespace, string name, int replicas, string fieldManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.ApplyAsync(Manifest(@namespace, name, replicas), ManagerFor(fieldManager), force: true, dryRun: false, cancellationToken);
    }

    /// <summary>An apply configuration that names only spec.replicas: under its own manager it claims nothing else.</summary>
    public static JsonObject Manifest(string @namespace, string name, long replicas) => new()
    {
        ["apiVersion"] = ResourceType.Deployments.ApiVersion,
        ["kind"] = ResourceType.Deployments.Kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["spec"] = new JsonObject { ["replicas"] = replicas },
    };
}
