namespace Pipeline.Monitoring.Tests;

/// <summary>The real prometheus started by <see cref="LocalPrometheus"/>: discovery, scraping, reload, no-op, and refusals.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class LocalPrometheusTests(PrometheusFixture fixture)
{
    [Fact]
    public async Task Started_prometheus_scrapes_the_edge_and_the_docker_labelled_serving_container_with_their_labels()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Assert.Equal(PrometheusChange.Started, fixture.FirstChange);

        var targets = await fixture.WaitForBothTargetsAsync(timeout.Token);

        var serving = targets.Single(t => t.Labels.GetValueOrDefault("container") == fixture.Serving.Name);
        Assert.Equal($"http://127.0.0.1:{fixture.Serving.HostPort}/metrics", serving.ScrapeUrl);
        Assert.Equal(fixture.Serving.Deployment, serving.Labels["deployment"]);
        Assert.Equal("blue", serving.Labels["slot"]);
        var client = fixture.Client(out var http);
        using (http)
        {
            // honor_labels: the metric's own model and version stay, next to the target's deployment/slot/container.
            var sample = Assert.Single(await client.QueryAsync($"mlops_inference_requests_total{{container=\"{fixture.Serving.Name}\"}}", timeout.Token));
            Assert.Equal(42, sample.Value);
            Assert.Equal(("busy", "7", "200", "serving", fixture.Serving.Deployment, "blue"),
                (sample.Label("model"), sample.Label("version"), sample.Label("code"), sample.Label("job"), sample.Label("deployment"), sample.Label("slot")));

            var edge = Assert.Single(await client.QueryAsync($"test_edge_scrapes_total{{job=\"edge\",instance=\"127.0.0.1:{fixture.Edge.Port}\"}}", timeout.Token));
            Assert.InRange(edge.Value, 1, fixture.Edge.Scrapes);
            Assert.All(await client.QueryAsync($"up{{instance=~\"127.0.0.1:({fixture.Edge.Port}|{fixture.Serving.HostPort})\"}}", timeout.Token),
                up => Assert.Equal(1, up.Value));
        }
    }

    [Fact]
    public async Task Ensuring_the_configuration_in_force_again_changes_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var active = await fixture.Prometheus.ReadActiveDescriptionAsync(timeout.Token);
        Assert.NotNull(active);
        var configBefore = await File.ReadAllTextAsync(fixture.Prometheus.Layout.ConfigFile, timeout.Token);

        var change = await fixture.Prometheus.EnsureRunningAsync(active, timeout.Token);

        Assert.Equal(PrometheusChange.Unchanged, change);
        Assert.Equal(fixture.FirstPid, fixture.Prometheus.RunningPid());
        Assert.Equal(configBefore, await File.ReadAllTextAsync(fixture.Prometheus.Layout.ConfigFile, timeout.Token));
    }

    [Fact]
    public async Task A_new_edge_is_applied_by_reload_without_a_restart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var second = await MetricsEndpoint.StartAsync();
        var withSecond = fixture.Description.WithEdgePort(second.Port);
        try
        {
            var change = await fixture.Prometheus.EnsureRunningAsync(withSecond, timeout.Token);

            Assert.Equal(PrometheusChange.Reloaded, change);
            Assert.Equal(fixture.FirstPid, fixture.Prometheus.RunningPid());
            await LocalPrometheus.WaitForTargetsAsync(withSecond,
                targets => targets.Any(t => t.Job == "edge" && t.ScrapeUrl == $"http://127.0.0.1:{second.Port}/metrics" && t.IsUp),
                TimeSpan.FromSeconds(60), timeout.Token);
            Assert.Equal([fixture.Edge.Port, second.Port], (await fixture.Prometheus.ReadActiveDescriptionAsync(timeout.Token))!.EdgePorts);
        }
        finally
        {
            await fixture.Prometheus.EnsureRunningAsync(fixture.Description, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_rule_file_promtool_refuses_never_replaces_the_one_in_force()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var broken = new TemporaryDirectory();
        var brokenAlerts = broken.File("alerts.yml");
        await File.WriteAllTextAsync(brokenAlerts, "groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[1m]) >\n", timeout.Token);
        var copy = fixture.Prometheus.Layout.RuleCopy(fixture.AlertsFile);
        var inForce = await File.ReadAllTextAsync(copy, timeout.Token);

        var refused = await Assert.ThrowsAsync<PrometheusProcessException>(() =>
            fixture.Prometheus.EnsureRunningAsync(fixture.Description with { RuleFiles = [brokenAlerts] }, timeout.Token));

        Assert.Contains("promtool check rules", refused.Message);
        Assert.Contains("parse error", refused.Message);
        Assert.Equal(inForce, await File.ReadAllTextAsync(copy, timeout.Token));
        Assert.Empty(Directory.GetFiles(fixture.Prometheus.Layout.RulesDirectory, "*.candidate*"));
        Assert.Equal(fixture.FirstPid, fixture.Prometheus.RunningPid());
    }

    [Fact]
    public async Task Something_else_on_the_port_is_an_error_that_names_the_prometheus_port_parameter()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var squatter = await MetricsEndpoint.StartAsync();
        var other = fixture.NewLocalPrometheus(squatter.Port);

        var refused = await Assert.ThrowsAsync<PrometheusProcessException>(() =>
            other.EnsureRunningAsync(new PrometheusDescription(squatter.Port, [], [fixture.AlertsFile]), timeout.Token));

        Assert.Contains($"127.0.0.1:{squatter.Port}", refused.Message);
        Assert.Contains("--prometheus-port", refused.Message);
        Assert.Null(other.RunningPid());
    }

    [Fact]
    public async Task Another_state_directory_does_not_take_over_a_running_instance()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var stranger = new LocalPrometheus(new ProcessRunner(), new PrometheusLayout(Path.Combine(fixture.StateRoot, "elsewhere")), _ => { });

        var refused = await Assert.ThrowsAsync<PrometheusProcessException>(() => stranger.EnsureRunningAsync(fixture.Description, timeout.Token));

        Assert.Contains(fixture.Prometheus.Layout.ConfigFile, refused.Message);
        Assert.Contains("--prometheus-port", refused.Message);
    }
}
