namespace Pipeline.Drift;

/// <summary>
/// PSI = Σ (a − e)·ln(a / e) over bins, each fraction floored at 1e-4 so an empty bin costs a bounded amount
/// instead of infinity. Rule of thumb: below 0.1 stable, 0.1–0.25 moderate, above 0.25 a significant shift.
/// </summary>
public static class PopulationStabilityIndex
{
    public const double Floor = 1e-4;

    /// <summary>The usual alert threshold ("significant shift").</summary>
    public const double SignificantShift = 0.25;

    /// <param name="expected">Baseline fractions per bin.</param>
    /// <param name="actual">Observed fractions per bin, in the same bin order.</param>
    public static double Compute(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count != actual.Count)
            throw new ArgumentException($"Expected has {expected.Count} bins but actual has {actual.Count}; compare the same quantity's bins.", nameof(actual));
        double psi = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            var e = Math.Max(expected[i], Floor);
            var a = Math.Max(actual[i], Floor);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    /// <summary>PSI of observed row counts per bin against baseline fractions; the counts are normalised first.</summary>
    public static double FromCounts(IReadOnlyList<double> expected, IReadOnlyList<double> actualCounts)
    {
        ArgumentNullException.ThrowIfNull(actualCounts);
        var total = actualCounts.Sum();
        if (total <= 0) throw new ArgumentException("No rows were counted; PSI needs at least one observed row.", nameof(actualCounts));
        return Compute(expected, actualCounts.Select(c => c / total).ToArray());
    }
}
