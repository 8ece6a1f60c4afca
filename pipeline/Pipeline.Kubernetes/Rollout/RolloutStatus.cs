using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>One look at a Deployment: finished, still going (with kubectl's progress message), or failed.</summary>
public sealed record RolloutState(bool Done, bool Failed, string Message);

/// <summary>
/// The decision `kubectl rollout status` makes for a Deployment (k8s.io/kubectl polymorphichelpers, DeploymentStatusViewer),
/// with its messages, so the pipeline and kubectl always agree on whether a rollout is done.
/// </summary>
public static class RolloutStatus
{
    public const string TimedOutReason = "ProgressDeadlineExceeded";

    public static RolloutState Evaluate(JsonObject deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var name = deployment.Name();
        if (deployment.Number("metadata", "generation") > deployment.Number("status", "observedGeneration"))
        {
            return new RolloutState(false, false, "Waiting for deployment spec update to be observed...");
        }

        var progressing = deployment.Objects("status", "conditions").FirstOrDefault(c => c.Text("type") == "Progressing");
        if (progressing.Text("reason") == TimedOutReason)
        {
            return new RolloutState(false, true, $"deployment \"{name}\" exceeded its progress deadline");
        }

        var desired = deployment.OptionalNumber("spec", "replicas");
        var updated = deployment.Number("status", "updatedReplicas");
        var replicas = deployment.Number("status", "replicas");
        var available = deployment.Number("status", "availableReplicas");
        if (desired is { } wanted && updated < wanted)
        {
            return new RolloutState(false, false, $"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {wanted} new replicas have been updated...");
        }

        if (replicas > updated)
        {
            return new RolloutState(false, false, $"Waiting for deployment \"{name}\" rollout to finish: {replicas - updated} old replicas are pending termination...");
        }

        if (available < updated)
        {
            return new RolloutState(false, false, $"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...");
        }

        return new RolloutState(true, false, $"deployment \"{name}\" successfully rolled out");
    }
}
