using System.Text.Json.Nodes;

namespace Pipeline.Monitoring.Tests;

/// <summary>serving/monitoring/grafana-dashboard.json, structurally: panels, datasources, targets, layout, and PromQL the real Prometheus parses.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class DashboardTests(PrometheusFixture fixture)
{
    private JsonObject Dashboard => JsonNode.Parse(File.ReadAllText(Path.Combine(fixture.Repository, "serving", "monitoring", "grafana-dashboard.json")))!.AsObject();

    private IReadOnlyList<JsonObject> Panels => [.. Dashboard["panels"]!.AsArray().Select(p => p!.AsObject())];

    private IEnumerable<string> Expressions => Panels.SelectMany(p => p["targets"]!.AsArray().Select(t => t!["expr"]!.GetValue<string>()));

    [Fact]
    public void Every_panel_has_a_prometheus_datasource_and_a_target_with_an_expression()
    {
        Assert.NotEmpty(Panels);
        Assert.All(Panels, panel =>
        {
            Assert.Equal("prometheus", panel["datasource"]?["type"]?.GetValue<string>());
            var targets = panel["targets"]?.AsArray();
            Assert.NotNull(targets);
            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t!["expr"]?.GetValue<string>()), $"panel {panel["title"]} has a target without expr"));
            Assert.Equal(targets.Count, targets.Select(t => t!["refId"]!.GetValue<string>()).Distinct().Count());
        });
    }

    [Fact]
    public void Panel_ids_are_unique_and_grid_positions_do_not_overlap()
    {
        Assert.Equal(Panels.Count, Panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());
        var boxes = Panels.Select(p => p["gridPos"]!).Select(g => (X: g["x"]!.GetValue<int>(), Y: g["y"]!.GetValue<int>(), W: g["w"]!.GetValue<int>(), H: g["h"]!.GetValue<int>())).ToList();
        Assert.All(boxes, b => Assert.True(b.X >= 0 && b.W > 0 && b.H > 0 && b.X + b.W <= 24, $"{b} does not fit Grafana's 24-column grid"));
        for (var i = 0; i < boxes.Count; i++)
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"panels {Panels[i]["title"]} {a} and {Panels[j]["title"]} {b} overlap");
            }
    }

    [Fact]
    public void The_serving_metrics_each_have_a_panel()
    {
        var titles = Panels.Select(p => p["title"]!.GetValue<string>()).ToList();
        Assert.Contains("Request rate", titles);
        Assert.Contains("Error ratio (5xx)", titles);
        Assert.Contains("Latency p50 / p99", titles);
        Assert.Contains("Queue (pending requests)", titles);
        Assert.Contains("Predicted class distribution", titles);
        Assert.Contains("Drift (PSI per quantity)", titles);
        var names = Expressions.SelectMany(PromqlNames.MetricNames).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            ServingMetrics.RequestsTotal, ServingMetrics.RequestDuration + "_bucket", ServingMetrics.PendingRequests, ServingMetrics.PredictedClassTotal, ServingMetrics.DriftPsi,
        }, names);
        // Per version: every serving panel splits by it.
        Assert.All(Panels.Where(p => p["title"]!.GetValue<string>() != "Targets up"),
            p => Assert.Contains("{{version}}", p["targets"]![0]!["legendFormat"]!.GetValue<string>()));
    }

    [Fact]
    public void Every_metric_a_panel_reads_is_exported_by_the_server_or_recorded_by_the_rules()
    {
        var known = ServingMetrics.Exported.Concat(ServingMetrics.Synthetic)
            .Concat(["mlops:drift_psi", "mlops:drift_bin_fraction:10m", "mlops:drift_baseline_fraction", "mlops:drift_bin_rows:increase10m"]).ToHashSet();
        Assert.All(Expressions, e => Assert.Empty(PromqlNames.MetricNames(e).Except(known)));
    }

    [Fact]
    public async Task Every_expression_parses_in_the_real_prometheus()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var client = fixture.Client(out var http);
        using (http)
        {
            foreach (var expression in Expressions)
                // A parse error is HTTP 400 → PrometheusQueryException (bad_data), which fails the test with Prometheus's words.
                await client.QueryAsync(PromqlNames.WithoutTemplateVariables(expression), timeout.Token);
        }
    }
}
