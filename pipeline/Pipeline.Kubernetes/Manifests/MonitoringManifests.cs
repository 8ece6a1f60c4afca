using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Manifests;

/// <summary>
/// The Kubernetes side of the local monitoring: a ServiceMonitor that scrapes the serving pods as the local Prometheus
/// scrapes the containers (job="serving", honor_labels), and a PrometheusRule whose groups are exactly those of
/// serving/monitoring/alerts.yml, so both places alert on the same rules. The pod annotations (prometheus.io/*) are
/// on the Deployment for Prometheus setups that discover pods by annotation instead.
/// </summary>
public static class MonitoringManifests
{
    /// <summary>The job label the rules select serving targets by (alerts.yml: job="serving").</summary>
    public const string ServingJob = "serving";

    public static IReadOnlyList<IKubernetesObject> Generate(KubernetesRelease release, string alertRulesYaml) =>
        [CreateServiceMonitor(release), CreatePrometheusRule(release, alertRulesYaml)];

    public static ServiceMonitor CreateServiceMonitor(KubernetesRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new ServiceMonitor(
            new ObjectMeta(release.Name, release.Namespace, ManifestGenerator.SelectorLabels(release)),
            new ServiceMonitorSpec(
                new LabelSelector(ManifestGenerator.SelectorLabels(release)),
                [new ServiceMonitorEndpoint(ManifestGenerator.HttpPortName, ManifestGenerator.MetricsPath, "15s", HonorLabels: true,
                [
                    new RelabelConfig("job", Replacement: ServingJob),
                    new RelabelConfig("deployment", Replacement: release.Name),
                    new RelabelConfig("container", SourceLabels: ["__meta_kubernetes_pod_name"]),
                ])]));
    }

    /// <summary>A PrometheusRule holding <paramref name="alertRulesYaml"/>'s groups; a file without groups is refused.</summary>
    public static PrometheusRule CreatePrometheusRule(KubernetesRelease release, string alertRulesYaml)
    {
        ArgumentNullException.ThrowIfNull(release);
        var groups = YamlJson.Parse(alertRulesYaml)?["groups"] as JsonArray;
        if (groups is null || groups.Count == 0)
            throw new ArgumentException("The alert rules have no groups: pass the text of serving/monitoring/alerts.yml (a Prometheus rule file).", nameof(alertRulesYaml));
        return new PrometheusRule(
            new ObjectMeta(release.Name, release.Namespace, ManifestGenerator.SelectorLabels(release)),
            new PrometheusRuleSpec((JsonArray)groups.DeepClone()));
    }
}
