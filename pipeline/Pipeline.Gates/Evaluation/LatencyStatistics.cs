namespace Pipeline.Gates;

/// <summary>Wall-clock latency of one Run at a fixed batch size, in milliseconds, from <see cref="Runs"/> timed samples.</summary>
public sealed record LatencyStatistics(int BatchSize, int Runs, double P50Ms, double P99Ms, double MinMs, double MaxMs, double MeanMs)
{
    public static LatencyStatistics FromSamples(int batchSize, IReadOnlyCollection<double> samplesMs)
    {
        ArgumentNullException.ThrowIfNull(samplesMs);
        if (samplesMs.Count == 0)
            throw new ArgumentException("Latency statistics need at least one timed run.", nameof(samplesMs));
        var sorted = samplesMs.ToArray();
        Array.Sort(sorted);
        return new LatencyStatistics(batchSize, sorted.Length,
            Percentiles.NearestRank(sorted, 50), Percentiles.NearestRank(sorted, 99), sorted[0], sorted[^1], sorted.Average());
    }
}
