namespace Pipeline.Monitoring;

/// <summary>
/// Reads what ./build.sh Monitor shows, per model and version: request rate, p99 latency and 5xx ratio over
/// <see cref="Window"/>, and the recorded drift PSI per quantity. The expressions are the alerts' own, so the table
/// shows the numbers the alerts judge.
/// </summary>
public sealed class ServingOverview(PrometheusClient prometheus)
{
    public const string Window = "1m";

    public static string RequestRateQuery => $"sum by (model, version) (rate({ServingMetrics.RequestsTotal}[{Window}]))";

    // A version that never answered a 5xx has no such series: "or 0 × rate" makes its ratio 0 instead of missing.
    public static string ErrorRatioQuery =>
        $"(sum by (model, version) (rate({ServingMetrics.RequestsTotal}{{code=~\"5..\"}}[{Window}])) or 0 * {RequestRateQuery}) / {RequestRateQuery}";

    public static string P99Query =>
        $"histogram_quantile(0.99, sum by (model, version, le) (rate({ServingMetrics.RequestDuration}_bucket[{Window}])))";

    public static string DriftQuery => ServingMetrics.DriftPsi;

    /// <summary>Every version Prometheus has request counts, latencies or drift for, ordered by model and version.</summary>
    public async Task<IReadOnlyList<ServingVersionStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        var rates = ByVersion(await prometheus.QueryAsync(RequestRateQuery, cancellationToken));
        var errors = ByVersion(await prometheus.QueryAsync(ErrorRatioQuery, cancellationToken));
        var p99 = ByVersion(await prometheus.QueryAsync(P99Query, cancellationToken));
        var drift = (await prometheus.QueryAsync(DriftQuery, cancellationToken))
            .GroupBy(s => (s.Label("model"), s.Label("version")))
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.ToDictionary(s => s.Label("quantity"), s => s.Value));
        return [.. rates.Keys.Concat(p99.Keys).Concat(drift.Keys).Distinct()
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal)
            .Select(k => new ServingVersionStatus(k.Item1, k.Item2,
                rates.GetValueOrDefault(k, double.NaN), p99.GetValueOrDefault(k, double.NaN), errors.GetValueOrDefault(k, double.NaN),
                drift.GetValueOrDefault(k) ?? new Dictionary<string, double>()))];
    }

    private static Dictionary<(string, string), double> ByVersion(IReadOnlyList<PrometheusSample> samples) =>
        samples.GroupBy(s => (s.Label("model"), s.Label("version"))).ToDictionary(g => g.Key, g => g.First().Value);
}
