using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Manifests;

// The Prometheus Operator's custom resources (monitoring.coreos.com/v1) the release ships for clusters that run it.

/// <summary>Tells the Prometheus Operator to scrape the pods behind the serving Service.</summary>
public sealed record ServiceMonitor(ObjectMeta Metadata, ServiceMonitorSpec Spec) : IKubernetesObject
{
    public string ApiVersion => "monitoring.coreos.com/v1";
    public string Kind => "ServiceMonitor";
}

public sealed record ServiceMonitorSpec(LabelSelector Selector, IReadOnlyList<ServiceMonitorEndpoint> Endpoints);

/// <summary><see cref="Port"/> names the Service's port; <see cref="HonorLabels"/> keeps the metrics' own model and version labels.</summary>
public sealed record ServiceMonitorEndpoint(string Port, string Path, string Interval, bool HonorLabels, IReadOnlyList<RelabelConfig> Relabelings);

/// <summary>One relabelling step as the operator spells it (sourceLabels, targetLabel, replacement, action).</summary>
public sealed record RelabelConfig(string TargetLabel, string? Replacement = null, IReadOnlyList<string>? SourceLabels = null, string Action = "replace");

/// <summary>Rule groups the Prometheus Operator loads into the Prometheus that selects them.</summary>
public sealed record PrometheusRule(ObjectMeta Metadata, PrometheusRuleSpec Spec) : IKubernetesObject
{
    public string ApiVersion => "monitoring.coreos.com/v1";
    public string Kind => "PrometheusRule";
}

/// <summary><see cref="Groups"/> is a rule file's groups, unchanged.</summary>
public sealed record PrometheusRuleSpec(JsonArray Groups);
