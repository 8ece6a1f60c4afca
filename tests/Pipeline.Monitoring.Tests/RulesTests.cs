namespace Pipeline.Monitoring.Tests;

/// <summary>serving/monitoring/alerts.yml through the real promtool (check rules, test rules) and as the real Prometheus loads it.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class RulesTests(PrometheusFixture fixture)
{
    public static readonly string[] Alerts = ["ServingErrorRatioHigh", "ServingLatencyP99High", "ServingQueueSaturated", "ServingContainerRestarting", "ModelInputDrift"];

    private string Monitoring => Path.Combine(fixture.Repository, "serving", "monitoring");

    [Fact]
    public async Task Promtool_check_rules_accepts_the_shipped_rules()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        // Throws PrometheusProcessException with promtool's output when it refuses.
        await new PromtoolChecker(new ProcessRunner()).CheckRulesAsync([fixture.AlertsFile], timeout.Token);
    }

    [Fact]
    public async Task Promtool_unit_tests_of_every_alert_and_the_psi_recording_rule_pass()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var testFile = Path.Combine(Monitoring, "alerts.test.yml");

        var output = await new PromtoolChecker(new ProcessRunner()).TestRulesAsync([testFile], timeout.Token);

        Assert.Contains("SUCCESS", output);
        var tests = await File.ReadAllTextAsync(testFile, timeout.Token);
        // Each alert is tested, firing and quiet; the PSI rule against hand-computed values.
        Assert.All(Alerts, alert => Assert.Contains($"alertname: {alert}", tests));
        Assert.Contains("mlops:drift_psi{quantity=\"prediction:class\"} - 0.8788898", tests);
        Assert.Contains("exp_alerts: []", tests);
    }

    [Fact]
    public async Task Promtool_test_rules_fails_with_its_output_when_an_expectation_is_wrong()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var copy = new TemporaryDirectory();
        File.Copy(fixture.AlertsFile, copy.File("alerts.yml"));
        var wrong = (await File.ReadAllTextAsync(Path.Combine(Monitoring, "alerts.test.yml"), timeout.Token)).Replace("- 0.8788898)", "- 0.87)");
        await File.WriteAllTextAsync(copy.File("alerts.test.yml"), wrong, timeout.Token);

        var failed = await Assert.ThrowsAsync<PrometheusProcessException>(() =>
            new PromtoolChecker(new ProcessRunner()).TestRulesAsync([copy.File("alerts.test.yml")], timeout.Token));

        Assert.Contains("FAILED", failed.Message);
        Assert.Contains("prediction:class", failed.Message);
    }

    [Fact]
    public async Task Prometheus_loads_the_five_alerts_and_the_drift_recording_rule()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var client = fixture.Client(out var http);
        using (http)
        {
            var groups = await client.RuleGroupsAsync(timeout.Token);

            Assert.Equal(["mlops-drift", "mlops-serving"], groups.Select(g => g.Name).Order());
            var rules = groups.SelectMany(g => g.Rules).ToList();
            Assert.Equal(Alerts.Order(), rules.Where(r => r.IsAlert).Select(r => r.Name).Order());
            Assert.Contains(rules, r => !r.IsAlert && r.Name == ServingMetrics.DriftPsi);
        }
    }

    [Fact]
    public async Task Every_metric_the_rules_read_is_exported_by_the_server_or_recorded_before_it_is_read()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var client = fixture.Client(out var http);
        using (http)
        {
            var known = ServingMetrics.Exported.Concat(ServingMetrics.Synthetic).ToHashSet();
            foreach (var group in await client.RuleGroupsAsync(timeout.Token))
                foreach (var rule in group.Rules)
                {
                    Assert.Empty(PromqlNames.MetricNames(rule.Query).Except(known));
                    if (!rule.IsAlert) known.Add(rule.Name);
                }
        }
    }
}
