namespace Pipeline.Kubernetes.Manifests;

/// <summary>
/// The canary Deployment of a release: the new version's pods beside the stable Deployment's, carrying the same name
/// label so the release's Service sends them their share of traffic by pod count (the Kubernetes documentation's canary
/// pattern, and Argo Rollouts' replica-based weights when there is no mesh), plus a track label of their own so its
/// selector never takes the stable pods. No autoscaler: the pipeline sets its replica count at each step.
/// </summary>
public static class CanaryManifest
{
    public const string TrackLabel = "mlops.io/track";
    public const string CanaryTrack = "canary";

    public static string NameFor(string stableName) => $"{stableName}-canary";

    public static Deployment Create(KubernetesRelease release, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        release.EnsureValid();
        var stable = ManifestGenerator.CreateDeployment(release);
        var name = NameFor(release.Name);
        var labels = new Dictionary<string, string>(stable.Metadata.Labels!) { [TrackLabel] = CanaryTrack };
        var selector = new Dictionary<string, string>(ManifestGenerator.SelectorLabels(release)) { [TrackLabel] = CanaryTrack };
        return stable with
        {
            Metadata = stable.Metadata with { Name = name, Labels = labels },
            Spec = stable.Spec with
            {
                Replicas = replicas,
                Selector = new LabelSelector(selector),
                Template = stable.Spec.Template with { Metadata = stable.Spec.Template.Metadata with { Name = name, Labels = labels } },
            },
        };
    }

    /// <summary>
    /// Canary pods for <paramref name="percent"/> of the traffic beside <paramref name="stableReplicas"/> stable pods:
    /// c / (stable + c) as close to the share as whole pods allow, and at least one (a canary of no pods measures nothing).
    /// </summary>
    public static int ReplicasFor(int percent, int stableReplicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 99);
        ArgumentOutOfRangeException.ThrowIfLessThan(stableReplicas, 1);
        return Math.Max(1, (int)Math.Round(stableReplicas * percent / (100.0 - percent), MidpointRounding.AwayFromZero));
    }
}
