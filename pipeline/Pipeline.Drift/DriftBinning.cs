namespace Pipeline.Drift;

/// <summary>
/// The binning both sides share: the server counts live rows with it and the baseline builder counts the reference
/// rows with it, so a bin means the same thing in the metric and in the baseline.
/// </summary>
public static class DriftBinning
{
    /// <summary>Bin of <paramref name="value"/>: the number of edges at or below it (open-ended first and last bins); -1 for NaN.</summary>
    public static int NumericBin(IReadOnlyList<double> edges, double value)
    {
        if (double.IsNaN(value)) return -1;
        // Binary search for the first edge above the value; ties go up, so an edge is the lower bound of its bin.
        int low = 0, high = edges.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (edges[middle] <= value) low = middle + 1;
            else high = middle;
        }

        return low;
    }

    /// <summary>The mean of a row's values, leaving NaN (missing values) out; NaN when every value is missing.</summary>
    public static double RowMean(ReadOnlySpan<float> row)
    {
        double sum = 0;
        var count = 0;
        foreach (var v in row)
        {
            if (float.IsNaN(v)) continue;
            sum += v;
            count++;
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <inheritdoc cref="RowMean(ReadOnlySpan{float})"/>
    public static double RowMean(ReadOnlySpan<double> row)
    {
        double sum = 0;
        var count = 0;
        foreach (var v in row)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            count++;
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <inheritdoc cref="RowMean(ReadOnlySpan{float})"/>
    public static double RowMean(ReadOnlySpan<int> row)
    {
        if (row.IsEmpty) return double.NaN;
        long sum = 0;
        foreach (var v in row) sum += v;
        return (double)sum / row.Length;
    }

    /// <inheritdoc cref="RowMean(ReadOnlySpan{float})"/>
    public static double RowMean(ReadOnlySpan<long> row)
    {
        if (row.IsEmpty) return double.NaN;
        double sum = 0;
        foreach (var v in row) sum += v;
        return sum / row.Length;
    }
}
