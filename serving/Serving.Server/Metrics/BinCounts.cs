using Prometheus;

namespace Serving.Server.Metrics;

/// <summary>Adds per-row bin indices to cached counter children: counted locally first, so a batch costs one increment per bin hit.</summary>
internal static class BinCounts
{
    private const int StackLimit = 256;

    public static void Add(Counter.Child[] bins, ReadOnlySpan<int> rowBins)
    {
        Span<int> counts = bins.Length <= StackLimit ? stackalloc int[bins.Length] : new int[bins.Length];
        counts.Clear();
        foreach (var bin in rowBins)
            if ((uint)bin < (uint)counts.Length) counts[bin]++;
        for (var b = 0; b < counts.Length; b++)
            if (counts[b] > 0) bins[b].Inc(counts[b]);
    }
}
