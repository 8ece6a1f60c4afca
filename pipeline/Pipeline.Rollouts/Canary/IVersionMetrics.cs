using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Canary;

/// <summary>Port: what one model version's own metrics say over the last <c>window</c> (Prometheus in production).</summary>
public interface IVersionMetrics
{
    Task<VersionMeasurement> MeasureAsync(string version, TimeSpan window, IReadOnlyList<double> percentiles, CancellationToken cancellationToken);

    /// <summary>Rows answered per predicted class over the window.</summary>
    Task<IReadOnlyDictionary<string, double>> PredictedClassesAsync(string version, TimeSpan window, CancellationToken cancellationToken);
}
