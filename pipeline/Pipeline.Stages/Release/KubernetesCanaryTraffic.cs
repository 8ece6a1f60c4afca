using Pipeline.Kubernetes.Manifests;
using Pipeline.Kubernetes.Rollout;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>
/// A canary's traffic share on a cluster without a mesh, approximated as Argo Rollouts does by pod counts behind the
/// one Service: below 100 % the canary Deployment gets <see cref="CanaryManifest.ReplicasFor"/> pods beside the stable
/// ones; 100 % rolls the stable Deployment itself to the new version (a normal rollout) and retires the canary pods;
/// 0 % scales the canary to zero and, after a 100 % step, undoes the stable rollout to the version it ran.
/// </summary>
public sealed class KubernetesCanaryTraffic(KubernetesCanary canary, KubernetesDeployer deployer, KubernetesRelease release, string stableVersion,
    int stableReplicas, KubernetesDeployOptions options) : ICanaryTraffic
{
    private bool _stableRolled;

    public string Describe(int percent)
    {
        if (percent >= 100) return $"the stable Deployment rolled to {release.ModelVersion}";
        if (percent <= 0) return $"all pods on {stableVersion}";
        var pods = CanaryManifest.ReplicasFor(percent, stableReplicas);
        return $"{pods} canary pod(s) beside {stableReplicas} stable: {pods / (double)(pods + stableReplicas):P0} of the Service's endpoints " +
               "(a replica ratio, approximate: there is no mesh to split requests exactly)";
    }

    public async Task SetCanaryPercentAsync(int percent, CancellationToken cancellationToken)
    {
        if (percent <= 0)
        {
            if (_stableRolled)
            {
                await deployer.RollbackAsync(release.Name, release.Namespace, stableVersion, options, cancellationToken);
                _stableRolled = false;
            }
            await canary.ScaleAsync(release, 0, options, cancellationToken);
            return;
        }
        if (percent >= 100)
        {
            await deployer.DeployAsync(release, options, cancellationToken);
            _stableRolled = true;
            await canary.ScaleAsync(release, 0, options, cancellationToken);
            return;
        }
        await canary.ScaleAsync(release, CanaryManifest.ReplicasFor(percent, stableReplicas), options, cancellationToken);
    }
}
