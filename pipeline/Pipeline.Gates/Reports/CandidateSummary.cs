namespace Pipeline.Gates;

/// <summary>
/// A candidate's measurements as gates.json records them: everything in <see cref="CandidateMeasurement"/> but the
/// per-row predictions, which would make the report megabytes long and are not needed to audit the decision.
/// </summary>
public sealed record CandidateSummary(
    string Name,
    string Path,
    CandidateKind Kind,
    long SizeBytes,
    int SampleCount,
    int CorrectCount,
    double Accuracy,
    double LogLoss,
    LatencyStatistics SingleRowLatency,
    LatencyStatistics BatchLatency)
{
    public double SizeMb => SizeBytes / 1_000_000.0;

    public static CandidateSummary From(CandidateMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return new CandidateSummary(measurement.Name, measurement.Path, measurement.Kind, measurement.SizeBytes,
            measurement.SampleCount, measurement.CorrectCount, measurement.Accuracy, measurement.LogLoss,
            measurement.SingleRowLatency, measurement.BatchLatency);
    }
}
