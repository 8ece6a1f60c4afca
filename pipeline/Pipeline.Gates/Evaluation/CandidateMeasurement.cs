namespace Pipeline.Gates;

/// <summary>What a candidate predicted for each test row: the model's own label output and its probability rows.</summary>
/// <param name="Probabilities">Row-major [Labels.Length, ClassCount].</param>
public sealed record CandidatePredictions(int[] Labels, float[] Probabilities, int ClassCount);

/// <summary>Everything the gates need to know about one candidate, measured on the held-out test set.</summary>
/// <param name="Accuracy">CorrectCount / SampleCount, scored on the model's <c>label</c> output (what serving returns).</param>
/// <param name="LogLoss">Mean −ln p(true class), natural log, p clamped to at least 1e-15 so one confident miss stays finite.</param>
/// <param name="SingleRowLatency">Batch-1 Runs: the latency gate uses its p99.</param>
/// <param name="BatchLatency">Runs at <see cref="EvaluationOptions.ThroughputBatchSize"/> rows (64 by default).</param>
public sealed record CandidateMeasurement(
    string Name,
    string Path,
    CandidateKind Kind,
    long SizeBytes,
    int SampleCount,
    int CorrectCount,
    double Accuracy,
    double LogLoss,
    LatencyStatistics SingleRowLatency,
    LatencyStatistics BatchLatency,
    CandidatePredictions Predictions)
{
    /// <summary>Size in MB of 1,000,000 bytes, the unit of <see cref="GateThresholds.MaxModelMb"/>.</summary>
    public double SizeMb => SizeBytes / 1_000_000.0;
}
