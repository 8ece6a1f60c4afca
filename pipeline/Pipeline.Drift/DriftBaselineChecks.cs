namespace Pipeline.Drift;

/// <summary>The consistency rules a baseline must meet before a server exports it or Validate records it.</summary>
internal static class DriftBaselineChecks
{
    // Fractions are rounded when written; a sum this far from 1 is a broken file, not rounding.
    private const double SumTolerance = 1e-6;

    public static IReadOnlyList<string> Problems(DriftBaseline baseline)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(baseline.Model)) problems.Add("\"model\" is empty; it must name the model the baseline was recorded for.");
        if (string.IsNullOrWhiteSpace(baseline.Version)) problems.Add("\"version\" is empty; it must name the model version.");
        if (baseline.ReferenceSource is not (DriftBaseline.TrainingRows or DriftBaseline.TestRows))
            problems.Add($"\"reference_source\" is '{baseline.ReferenceSource}'; it must be '{DriftBaseline.TrainingRows}' or '{DriftBaseline.TestRows}'.");
        if (baseline.ReferenceRows < 1) problems.Add($"\"reference_rows\" is {baseline.ReferenceRows}; a baseline needs at least one reference row.");
        if (baseline.Quantities.Count == 0) problems.Add("\"quantities\" is empty; record at least one quantity or no baseline at all.");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in baseline.Quantities)
        {
            var at = $"quantity '{q.Name}'";
            if (!names.Add(q.Name)) problems.Add($"{at} appears more than once; quantity names must be unique.");
            if (q.Kind == DriftQuantityKind.InputMean)
            {
                if (string.IsNullOrWhiteSpace(q.Input)) problems.Add($"{at} has no \"input\"; a numeric quantity names the model input it is computed from.");
                else if (q.Name != DriftQuantity.InputMeanName(q.Input)) problems.Add($"{at} must be named '{DriftQuantity.InputMeanName(q.Input)}' after its input.");
                if (q.Edges.Count == 0) problems.Add($"{at} has no \"edges\"; a numeric quantity needs at least one bin edge.");
                for (var i = 0; i < q.Edges.Count; i++)
                {
                    if (!double.IsFinite(q.Edges[i])) problems.Add($"{at} edge {i} is {q.Edges[i]}; edges must be finite numbers.");
                    else if (i > 0 && q.Edges[i] < q.Edges[i - 1]) problems.Add($"{at} edges must not decrease, but edge {i} ({q.Edges[i]}) is below edge {i - 1} ({q.Edges[i - 1]}).");
                }
            }
            else
            {
                if (q.Name != DriftQuantity.PredictedClassName) problems.Add($"{at} is a predicted-class quantity and must be named '{DriftQuantity.PredictedClassName}'.");
                if (q.Labels.Count == 0) problems.Add($"{at} has no \"labels\"; list the class labels in class_names order.");
                if (q.Labels.Distinct(StringComparer.Ordinal).Count() != q.Labels.Count) problems.Add($"{at} lists a class label twice; labels must be unique.");
            }

            if (q.Fractions.Count != q.BinCount)
                problems.Add($"{at} has {q.Fractions.Count} fractions for {q.BinCount} bins; give one fraction per bin.");
            if (q.Fractions.Any(f => !double.IsFinite(f) || f < 0 || f > 1))
                problems.Add($"{at} has a fraction outside [0, 1]; fractions are shares of the reference rows.");
            else if (q.Fractions.Count > 0 && Math.Abs(q.Fractions.Sum() - 1) > SumTolerance)
                problems.Add($"{at} fractions sum to {q.Fractions.Sum():R}, not 1; they are shares of the reference rows.");
        }

        return problems;
    }
}
