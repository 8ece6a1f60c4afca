using TestSupport;

namespace Pipeline.Kubernetes.Tests;

/// <summary>The monitoring side of a Kubernetes release: scrape annotations on the pods, a ServiceMonitor, and a PrometheusRule made of alerts.yml.</summary>
public sealed class MonitoringManifestTests
{
    private static readonly KubernetesRelease Release = new("fashion-mnist", "1.2.0", new string('c', 64), "registry.example/fashion-mnist-serving:1.2.0", "serving", 3);

    private static readonly string AlertsFile = Path.Combine(RepositoryRoot.Find(), "serving", "monitoring", "alerts.yml");

    private static JsonObject Json(IKubernetesObject value) => KubernetesJson.ToJson(value);

    [Fact]
    public void The_pods_say_where_their_metrics_are_and_the_deployment_itself_does_not()
    {
        var deployment = Json(ManifestGenerator.CreateDeployment(Release));
        var annotations = deployment["spec"]!["template"]!["metadata"]!["annotations"]!;

        Assert.Equal("true", annotations["prometheus.io/scrape"]!.GetValue<string>());
        Assert.Equal("8080", annotations["prometheus.io/port"]!.GetValue<string>());
        Assert.Equal("/metrics", annotations["prometheus.io/path"]!.GetValue<string>());
        Assert.Equal(new string('c', 64), annotations[ManifestGenerator.ModelSha256Annotation]!.GetValue<string>());
        var port = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>();
        Assert.Equal(port.ToString(), annotations["prometheus.io/port"]!.GetValue<string>());
        Assert.Null(deployment["metadata"]!["annotations"]!["prometheus.io/scrape"]);
    }

    [Fact]
    public void The_ServiceMonitor_scrapes_the_serving_service_port_as_job_serving_keeping_the_metrics_labels()
    {
        var monitor = Json(MonitoringManifests.CreateServiceMonitor(Release));
        var service = Json(ManifestGenerator.CreateService(Release));

        Assert.Equal(("monitoring.coreos.com/v1", "ServiceMonitor"), (monitor["apiVersion"]!.GetValue<string>(), monitor["kind"]!.GetValue<string>()));
        Assert.Equal("serving", monitor["metadata"]!["namespace"]!.GetValue<string>());
        // Selects the Service by its labels, and names the Service's port.
        var selector = monitor["spec"]!["selector"]!["matchLabels"]!.AsObject();
        Assert.All(selector, l => Assert.Equal(l.Value!.GetValue<string>(), service["metadata"]!["labels"]![l.Key]!.GetValue<string>()));
        var endpoint = monitor["spec"]!["endpoints"]![0]!;
        Assert.Equal(service["spec"]!["ports"]![0]!["name"]!.GetValue<string>(), endpoint["port"]!.GetValue<string>());
        Assert.Equal("/metrics", endpoint["path"]!.GetValue<string>());
        Assert.True(endpoint["honorLabels"]!.GetValue<bool>());
        Assert.Contains(endpoint["relabelings"]!.AsArray(), r => r!["targetLabel"]!.GetValue<string>() == "job" && r["replacement"]!.GetValue<string>() == "serving");
    }

    [Fact]
    public async Task The_PrometheusRule_groups_are_exactly_those_of_alerts_yml_also_after_a_YAML_round_trip()
    {
        var alerts = await File.ReadAllTextAsync(AlertsFile);
        var expected = YamlJson.Parse(alerts)!["groups"]!;

        var rule = Json(MonitoringManifests.CreatePrometheusRule(Release, alerts));
        var reread = YamlJson.Parse(ManifestWriter.ToYaml(MonitoringManifests.CreatePrometheusRule(Release, alerts)))!;

        Assert.Equal(("monitoring.coreos.com/v1", "PrometheusRule"), (rule["apiVersion"]!.GetValue<string>(), rule["kind"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(expected, rule["spec"]!["groups"]), "the PrometheusRule's groups differ from alerts.yml's");
        Assert.True(JsonNode.DeepEquals(expected, reread["spec"]!["groups"]), "the written YAML reads back with other groups");
        var alertNames = expected.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!["alert"]?.GetValue<string>()).OfType<string>();
        Assert.Equal(["ModelInputDrift", "ServingContainerRestarting", "ServingErrorRatioHigh", "ServingLatencyP99High", "ServingQueueSaturated"], alertNames.Order());
    }

    [Fact]
    public void A_rule_file_without_groups_is_refused_with_what_to_pass()
    {
        var refused = Assert.Throws<ArgumentException>(() => MonitoringManifests.CreatePrometheusRule(Release, "rules: []\n"));
        Assert.Contains("serving/monitoring/alerts.yml", refused.Message);
    }

    [Fact]
    public async Task Both_are_written_one_file_per_kind_for_kubectl()
    {
        using var directory = new TemporaryDirectory();
        var written = await ManifestWriter.WriteAsync(MonitoringManifests.Generate(Release, await File.ReadAllTextAsync(AlertsFile)), directory.Path, CancellationToken.None);

        Assert.Equal(["prometheusrule.yaml", "servicemonitor.yaml"], written.Select(Path.GetFileName).Order());
    }
}
