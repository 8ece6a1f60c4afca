namespace Pipeline.Monitoring;

/// <summary>A rule group as a running Prometheus loaded it.</summary>
public sealed record PrometheusRuleGroup(string Name, IReadOnlyList<PrometheusRule> Rules);

/// <summary>One loaded rule: an alert's or a recorded series' name, and its expression as the server parsed it.</summary>
public sealed record PrometheusRule(string Name, bool IsAlert, string Query);
