using System.Text.Json.Serialization;

namespace Pipeline.Gates;

[JsonConverter(typeof(JsonStringEnumConverter<GateComparison>))]
public enum GateComparison
{
    /// <summary>Passes when measured ≥ threshold.</summary>
    AtLeast,

    /// <summary>Passes when measured ≤ threshold.</summary>
    AtMost,
}

/// <summary>What a gate's numbers are, for showing them: fractions as percentages, differences of fractions in points.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateUnit>))]
public enum GateUnit
{
    Fraction,
    FractionPoints,
    Probability,
    Megabytes,
    Milliseconds,
}

/// <summary>One gate applied to one candidate.</summary>
/// <param name="Measured">Null only when there was nothing to measure against (no production model yet); such a gate passes.</param>
/// <param name="Margin">Signed distance to the threshold in the threshold's units: positive passes by that much, negative fails by that much.</param>
public sealed record GateOutcome(
    string Candidate,
    string Gate,
    GateComparison Comparison,
    GateUnit Unit,
    double Threshold,
    double? Measured,
    double? Margin,
    bool Passed,
    string Explanation)
{
    /// <summary>
    /// Margins this close to zero are exactly at the threshold: subtracting two accuracies leaves noise like 1e-17,
    /// which must not fail a candidate that meets its threshold exactly.
    /// </summary>
    private const double Tolerance = 1e-12;

    public static GateOutcome AtLeast(string candidate, string gate, GateUnit unit, double threshold, double measured,
        string subject, string? detail = null) =>
        Create(candidate, gate, GateComparison.AtLeast, unit, threshold, measured, measured - threshold, subject, detail);

    public static GateOutcome AtMost(string candidate, string gate, GateUnit unit, double threshold, double measured,
        string subject, string? detail = null) =>
        Create(candidate, gate, GateComparison.AtMost, unit, threshold, measured, threshold - measured, subject, detail);

    /// <summary>A gate that passes because there is nothing to compare with, saying why.</summary>
    public static GateOutcome NothingToCompare(string candidate, string gate, GateComparison comparison, GateUnit unit,
        double threshold, string explanation) =>
        new(candidate, gate, comparison, unit, threshold, null, null, true, explanation);

    private static GateOutcome Create(string candidate, string gate, GateComparison comparison, GateUnit unit,
        double threshold, double measured, double margin, string subject, string? detail)
    {
        if (Math.Abs(margin) < Tolerance) margin = 0;
        // NaN (a broken measurement) compares false, so it fails.
        var passed = margin >= 0;
        var bound = comparison == GateComparison.AtLeast ? "minimum" : "maximum";
        var verdict = (passed, comparison) switch
        {
            (true, _) when margin == 0 => $"meets the {bound} {GateFormat.Value(unit, threshold)} exactly",
            (true, GateComparison.AtLeast) => $"is above the {bound} {GateFormat.Value(unit, threshold)} by {GateFormat.Amount(unit, margin)}",
            (true, _) => $"is within the {bound} {GateFormat.Value(unit, threshold)} by {GateFormat.Amount(unit, margin)}",
            (false, GateComparison.AtLeast) => $"is below the {bound} {GateFormat.Value(unit, threshold)} by {GateFormat.Amount(unit, -margin)}",
            (false, _) => $"exceeds the {bound} {GateFormat.Value(unit, threshold)} by {GateFormat.Amount(unit, -margin)}",
        };
        var explanation = $"{subject} {GateFormat.Value(unit, measured)} {verdict}" + (detail is null ? "" : $" ({detail})");
        return new GateOutcome(candidate, gate, comparison, unit, threshold, measured, margin, passed, explanation);
    }
}
