namespace Pipeline.Drift;

/// <summary>
/// Builds drift quantities from reference rows: quantile bin edges and per-bin fractions for numeric row means,
/// per-class fractions for predictions. Bins are counted with <see cref="DriftBinning"/>, as the server counts them.
/// </summary>
public static class DriftBaselineBuilder
{
    /// <summary>Bins per numeric quantity (deciles of the reference distribution).</summary>
    public const int DefaultBins = 10;

    /// <param name="rowMeans">Per reference row, the mean of the input's values (<see cref="DriftBinning.RowMean(ReadOnlySpan{float})"/>); NaN rows are left out.</param>
    public static DriftQuantity InputMean(string input, IReadOnlyList<double> rowMeans, int bins = DefaultBins)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, "A numeric quantity needs at least 2 bins.");
        var sorted = rowMeans.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException($"Input '{input}' has no reference row with a finite value; record its baseline from rows that have values.", nameof(rowMeans));

        // Edge j is the j/K quantile (lower), so each bin holds about 1/K of the reference rows; ties make some bins empty.
        var edges = new double[bins - 1];
        for (var j = 1; j < bins; j++) edges[j - 1] = sorted[(int)((long)j * sorted.Length / bins)];
        var counts = new double[bins];
        foreach (var value in sorted) counts[DriftBinning.NumericBin(edges, value)]++;
        return new DriftQuantity(DriftQuantity.InputMeanName(input), DriftQuantityKind.InputMean, input, edges, [], Normalise(counts));
    }

    /// <param name="classNames">The model's class labels in class_names order; one bin each.</param>
    /// <param name="predicted">The label the model predicts for each reference row.</param>
    public static DriftQuantity PredictedClass(IReadOnlyList<string> classNames, IEnumerable<string> predicted)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classNames.Count; i++)
            if (!index.TryAdd(classNames[i], i)) throw new ArgumentException($"Class '{classNames[i]}' is listed twice; class names must be unique.", nameof(classNames));
        var counts = new double[classNames.Count];
        foreach (var label in predicted)
        {
            if (!index.TryGetValue(label, out var bin))
                throw new ArgumentException($"The model predicted '{label}', which is not among its class names ({string.Join(", ", classNames)}); check the class_names metadata.", nameof(predicted));
            counts[bin]++;
        }

        if (counts.Sum() == 0) throw new ArgumentException("No predictions were given; the class baseline needs at least one reference row.", nameof(predicted));
        return new DriftQuantity(DriftQuantity.PredictedClassName, DriftQuantityKind.PredictedClass, null, [], classNames.ToArray(), Normalise(counts));
    }

    /// <summary>Up to <paramref name="maxRows"/> distinct row indices out of <paramref name="total"/>, ascending; the same for the same seed.</summary>
    public static int[] SampleRows(int total, int maxRows, int seed)
    {
        if (total <= maxRows) return Enumerable.Range(0, total).ToArray();
        var random = new Random(seed);
        var indices = Enumerable.Range(0, total).ToArray();
        // A partial Fisher–Yates shuffle: the first maxRows slots are a uniform sample without replacement.
        for (var i = 0; i < maxRows; i++)
        {
            var j = random.Next(i, total);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        var sample = indices[..maxRows];
        Array.Sort(sample);
        return sample;
    }

    private static double[] Normalise(double[] counts)
    {
        var total = counts.Sum();
        return counts.Select(c => c / total).ToArray();
    }
}
