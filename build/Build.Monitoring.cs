using Pipeline.Engine;
using Pipeline.Monitoring;
using Pipeline.Processes;

/// <summary>Monitoring (issue #15): the local Prometheus that Deploy starts, and Monitor, which reads it.</summary>
sealed partial class Build
{
    [Parameter("Port of the local Prometheus on 127.0.0.1: Deploy starts it there when nothing answers, Monitor reads it")]
    readonly int PrometheusPort = PrometheusDescription.DefaultPort;

    AbsolutePath AlertRulesFile => RootDirectory / "serving" / "monitoring" / "alerts.yml";

    Target Monitor => _ => _
        .Description("Shows per serving model version the request rate, p99 latency, 5xx ratio, drift PSI per quantity and firing alerts, read from the local Prometheus")
        .Executes(async (ctx, ct) =>
        {
            var prometheus = LocalPrometheus.Client(PrometheusPort, out var http);
            using (http)
            {
                IReadOnlyList<ServingVersionStatus> versions;
                IReadOnlyList<PrometheusSample> alerts;
                try
                {
                    versions = await new ServingOverview(prometheus).ReadAsync(ct);
                    alerts = await prometheus.QueryAsync("ALERTS{alertstate=\"firing\"}", ct);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    throw new InvalidOperationException(
                        $"No Prometheus answers on 127.0.0.1:{PrometheusPort} ({ex.Message}): run ./build.sh Deploy first (it starts one), " +
                        "or pass --prometheus-port with the port yours listens on.", ex);
                }
                MonitorView.Write(ctx, PrometheusPort, versions, alerts);
            }
        });

    /// <summary>
    /// Makes the local Prometheus run and scrape the edge on <paramref name="edgePort"/> besides the edges it already
    /// scrapes (other models' Deploys) and every serving container; Deploy calls it before it changes anything.
    /// </summary>
    async Task EnsurePrometheusAsync(TargetContext ctx, int edgePort, CancellationToken ct)
    {
        var prometheus = new LocalPrometheus(new ProcessRunner(), PrometheusLayout.For(StateDirectory, PrometheusPort), ctx.Log.WriteLine);
        var active = await prometheus.ReadActiveDescriptionAsync(ct);
        var description = (active is not null && active.Port == PrometheusPort
                ? active with { RuleFiles = [AlertRulesFile] }
                : new PrometheusDescription(PrometheusPort, [], [AlertRulesFile]))
            .WithEdgePort(edgePort);
        // Docker SD reads the same engine the deployment uses.
        if (Env("DOCKER_HOST") is { Length: > 0 } dockerHost) description = description with { DockerHost = dockerHost };
        var change = await prometheus.EnsureRunningAsync(description, ct);
        ctx.Log.WriteLine($"Prometheus on 127.0.0.1:{PrometheusPort}: {change.ToString().ToLowerInvariant()} (scrapes the edge on 127.0.0.1:{edgePort} and every serving container; ./build.sh Monitor reads it)");
    }
}
