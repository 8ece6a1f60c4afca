namespace Pipeline.Drift;

/// <summary>
/// The training-time distribution of a model version's drift quantities (file <see cref="FileName"/>), recorded at
/// Validate and kept with the version; the server exports its bins and fractions next to the live counts.
/// </summary>
/// <param name="ReferenceSource">Which rows the distribution is from: <see cref="TrainingRows"/> or <see cref="TestRows"/>.</param>
/// <param name="Notes">Human-readable remarks, such as inputs that have no quantity and why.</param>
public sealed record DriftBaseline(
    string Model,
    string Version,
    string ReferenceSource,
    int ReferenceRows,
    IReadOnlyList<string> Notes,
    IReadOnlyList<DriftQuantity> Quantities)
{
    public const string FileName = "drift-baseline.json";
    public const int CurrentSchema = 1;
    public const string TrainingRows = "training";
    public const string TestRows = "test";

    /// <summary>Everything wrong with the baseline, each saying what to fix; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems() => DriftBaselineChecks.Problems(this);
}
