using System.Globalization;

namespace Pipeline.Gates;

/// <summary>Renders gate numbers for people, the same way in explanations, decisions and gates.md.</summary>
public static class GateFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A measured value or threshold: 89.12%, 0.50 pts, 1.0E-05, 0.312 MB, 0.045 ms.</summary>
    public static string Value(GateUnit unit, double value) => unit switch
    {
        GateUnit.Fraction => (value * 100).ToString("0.00", Invariant) + "%",
        GateUnit.FractionPoints => Points(value),
        GateUnit.Probability => value.ToString("0.0E+00", Invariant),
        GateUnit.Megabytes => value.ToString("0.000", Invariant) + " MB",
        GateUnit.Milliseconds => value.ToString("0.000", Invariant) + " ms",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown gate unit."),
    };

    /// <summary>A difference between two values of the unit: differences of percentages are percentage points.</summary>
    public static string Amount(GateUnit unit, double difference) =>
        unit == GateUnit.Fraction ? Points(difference) : Value(unit, difference);

    /// <summary>A margin with its sign, + passing and − failing.</summary>
    public static string Margin(GateUnit unit, double margin) =>
        (margin < 0 ? "−" : "+") + Amount(unit, Math.Abs(margin));

    private static string Points(double fraction) => (fraction * 100).ToString("0.00", Invariant) + " pts";
}
