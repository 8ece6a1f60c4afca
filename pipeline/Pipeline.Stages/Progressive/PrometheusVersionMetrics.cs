using System.Globalization;
using Pipeline.Monitoring;
using Pipeline.Rollouts.Analysis;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>
/// The analysis port read from Prometheus: one model version's requests, 5xx answers, latency percentiles and
/// predicted classes over a window, from the serving containers' own metrics (labelled with their model and version,
/// so each version is measured on its own wherever its pods or containers run).
/// </summary>
public sealed class PrometheusVersionMetrics(PrometheusClient prometheus, string model) : IVersionMetrics
{
    public async Task WaitUntilMeasuredAsync(string version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The pending-requests gauge exists from the server's start, before any request: its series means "scraped".
        var query = $"count(nv_inference_pending_request_count{{{Selector(version)}}})";
        var deadline = DateTime.UtcNow + timeout;
        while ((await ScalarAsync(query, cancellationToken) ?? 0) < 1)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Prometheus has no metrics of {model} {version} after {timeout.TotalSeconds:F0} s ({query} is empty): " +
                    "is its container or pod scraped? (locally: a container labelled io.mlops.role=serving with port 8080 published; " +
                    "on Kubernetes: the prometheus.io/* pod annotations or the ServiceMonitor). No traffic was moved.");
            await Task.Delay(500, cancellationToken);
        }
    }

    public async Task<VersionMeasurement> MeasureAsync(string version, TimeSpan window, IReadOnlyList<double> percentiles, CancellationToken cancellationToken)
    {
        var selector = Selector(version);
        var range = Range(window);
        var requests = await ScalarAsync($"sum(increase(mlops_inference_requests_total{{{selector}}}[{range}]))", cancellationToken) ?? 0;
        var errors = await ScalarAsync($"sum(increase(mlops_inference_requests_total{{{selector},code=~\"5..\"}}[{range}]))", cancellationToken) ?? 0;
        var latency = new Dictionary<double, double>();
        foreach (var p in percentiles)
        {
            var q = (p / 100).ToString("R", CultureInfo.InvariantCulture);
            var seconds = await ScalarAsync(
                $"histogram_quantile({q}, sum by (le) (increase(mlops_inference_request_duration_seconds_bucket{{{selector}}}[{range}])))", cancellationToken);
            if (seconds is { } s && double.IsFinite(s)) latency[p] = s * 1000;
        }
        return new VersionMeasurement(version, requests, errors, latency);
    }

    public async Task<IReadOnlyDictionary<string, double>> PredictedClassesAsync(string version, TimeSpan window, CancellationToken cancellationToken)
    {
        var samples = await prometheus.QueryAsync($"sum by (class) (increase(mlops_predicted_class_total{{{Selector(version)}}}[{Range(window)}]))", cancellationToken);
        return samples.Where(s => s.Labels.ContainsKey("class") && double.IsFinite(s.Value)).ToDictionary(s => s.Labels["class"], s => s.Value);
    }

    private async Task<double?> ScalarAsync(string promql, CancellationToken cancellationToken) =>
        (await prometheus.QueryAsync(promql, cancellationToken)) is [var sample, ..] ? sample.Value : null;

    private string Selector(string version) => $"model=\"{Escape(model)}\",version=\"{Escape(version)}\"";

    private static string Range(TimeSpan window) => $"{Math.Max(2, (int)Math.Ceiling(window.TotalSeconds))}s";

    /// <summary>PromQL string literals take Go's escapes: a backslash or a double quote in a label value must not end the string.</summary>
    internal static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
