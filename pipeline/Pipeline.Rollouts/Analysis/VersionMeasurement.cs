namespace Pipeline.Rollouts.Analysis;

/// <summary>
/// What one version's own metrics say over an analysis window: inference requests answered, those answered with a 5xx,
/// and latency percentiles in milliseconds (keyed by percentile, e.g. 99). A window with no requests has no rates.
/// </summary>
public sealed record VersionMeasurement(string Version, double Requests, double ServerErrors, IReadOnlyDictionary<double, double> LatencyMilliseconds)
{
    public double? SuccessRate => Requests > 0 ? 1 - ServerErrors / Requests : null;

    public double? ErrorRate => Requests > 0 ? ServerErrors / Requests : null;

    public static VersionMeasurement Empty(string version) => new(version, 0, 0, new Dictionary<double, double>());
}
