namespace Pipeline.Monitoring;

/// <summary>One serving version's state as Prometheus sees it now; NaN where it has no data (no traffic, no histogram, no baseline).</summary>
public sealed record ServingVersionStatus(
    string Model,
    string Version,
    double RequestsPerSecond,
    double P99Seconds,
    double ErrorRatio,
    IReadOnlyDictionary<string, double> DriftPsi)
{
    /// <summary>The largest PSI over the version's drift quantities, or NaN when it has none.</summary>
    public double MaxDriftPsi => DriftPsi.Count == 0 ? double.NaN : DriftPsi.Values.Max();
}
