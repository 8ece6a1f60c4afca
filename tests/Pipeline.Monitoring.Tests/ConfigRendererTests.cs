namespace Pipeline.Monitoring.Tests;

/// <summary>prometheus.yml as rendered from a description: promtool accepts it, and it reads back as the same description.</summary>
public sealed class ConfigRendererTests
{
    private static readonly string Alerts = Path.Combine(RepositoryRoot.Find(), "serving", "monitoring", "alerts.yml");

    [Fact]
    public async Task Promtool_check_config_accepts_the_rendered_configuration()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var state = new TemporaryDirectory();
        var layout = new PrometheusLayout(state.Path);
        layout.Create();
        File.Copy(Alerts, layout.RuleCopy(Alerts));
        await File.WriteAllTextAsync(layout.ConfigFile, PrometheusConfigRenderer.Render(new PrometheusDescription(9099, [8080, 8081], [Alerts]), layout), timeout.Token);

        await new PromtoolChecker(new ProcessRunner()).CheckConfigAsync(layout.ConfigFile, timeout.Token);
    }

    [Fact]
    public void The_configuration_scrapes_serving_containers_by_label_and_published_port_and_every_edge()
    {
        var layout = new PrometheusLayout("/state");
        var text = PrometheusConfigRenderer.Render(new PrometheusDescription(9090, [8081, 8080], [Alerts]), layout);

        Assert.Contains("scrape_interval: 1s", text);
        Assert.Contains("evaluation_interval: 1s", text);
        Assert.Contains("honor_labels: true", text);
        Assert.Contains("values: [\"io.mlops.role=serving\"]", text);
        Assert.Contains("regex: \"8080;(.+)\"", text);
        Assert.Contains("replacement: \"127.0.0.1:$1\"", text);
        Assert.Contains("target_label: deployment", text);
        Assert.Contains("target_label: slot", text);
        Assert.Contains("target_label: container", text);
        Assert.Contains("- targets: [\"127.0.0.1:8080\", \"127.0.0.1:8081\"]", text);
        Assert.Contains("\"/state/rules/alerts.yml\"", text);
    }

    [Fact]
    public void The_description_reads_back_from_the_configuration_and_edges_accumulate()
    {
        var description = new PrometheusDescription(9091, [8080], [Alerts]);
        var read = PrometheusConfigRenderer.ReadDescription(PrometheusConfigRenderer.Render(description, new PrometheusLayout("/state")));

        Assert.NotNull(read);
        Assert.Equal(9091, read.Port);
        Assert.Equal([8080], read.EdgePorts);
        Assert.Equal([Alerts], read.RuleFiles);
        Assert.Equal([8080, 8090], read.WithEdgePort(8090).EdgePorts);
        Assert.Same(read, read.WithEdgePort(8080));
        Assert.Null(PrometheusConfigRenderer.ReadDescription("global:\n  scrape_interval: 15s\n"));
    }

    [Fact]
    public void Unusable_descriptions_say_what_to_change()
    {
        Assert.Contains("--prometheus-port", Assert.Throws<ArgumentException>(() => new PrometheusDescription(80, [8080], [Alerts]).ThrowIfInvalid()).Message);
        Assert.Contains("--prometheus-port", Assert.Throws<ArgumentException>(() => new PrometheusDescription(8080, [8080], [Alerts]).ThrowIfInvalid()).Message);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => new PrometheusDescription(9090, [], ["/nonexistent/alerts.yml"]).ThrowIfInvalid()).Message);
    }
}
