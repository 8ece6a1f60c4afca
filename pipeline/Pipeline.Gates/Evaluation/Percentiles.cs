namespace Pipeline.Gates;

/// <summary>Exact percentiles of a sample list, nearest-rank method (every result is one of the samples, never interpolated).</summary>
public static class Percentiles
{
    /// <summary>
    /// The smallest sample such that at least <paramref name="percentile"/> % of the samples are ≤ it:
    /// sorted[ceil(p/100 × n) − 1], and the minimum for p = 0.
    /// </summary>
    /// <param name="sortedAscending">Samples sorted ascending.</param>
    public static double NearestRank(ReadOnlySpan<double> sortedAscending, double percentile)
    {
        if (sortedAscending.IsEmpty)
            throw new ArgumentException("A percentile needs at least one sample.", nameof(sortedAscending));
        if (!(percentile is >= 0 and <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is between 0 and 100.");
        // decimal keeps p/100 × n exact for the usual percentiles (99 × 1000 / 100 is exactly 990, not 990.0000000001).
        var rank = (int)Math.Ceiling((decimal)percentile * sortedAscending.Length / 100m);
        return sortedAscending[Math.Max(rank, 1) - 1];
    }
}
