using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Canary;

/// <summary>Port: what one model version's own metrics say over the last <c>window</c> (Prometheus in production).</summary>
public interface IVersionMetrics
{
    /// <summary>
    /// Returns once the version's metrics are being collected (its containers or pods are scraped), so the first
    /// analysis does not judge a canary nobody measured; throws <see cref="TimeoutException"/> saying why not.
    /// </summary>
    Task WaitUntilMeasuredAsync(string version, TimeSpan timeout, CancellationToken cancellationToken);

    Task<VersionMeasurement> MeasureAsync(string version, TimeSpan window, IReadOnlyList<double> percentiles, CancellationToken cancellationToken);

    /// <summary>Rows answered per predicted class over the window.</summary>
    Task<IReadOnlyDictionary<string, double>> PredictedClassesAsync(string version, TimeSpan window, CancellationToken cancellationToken);
}
