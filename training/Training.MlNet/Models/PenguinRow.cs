using Microsoft.ML.Data;

namespace Training.MlNet.Models;

/// <summary>One row of palmerpenguins' penguins.csv as ML.NET reads it (year is left out: it is when, not what, was measured).</summary>
internal sealed class PenguinRow
{
    [ColumnName("species")] public string Species { get; set; } = "";
    [ColumnName("island")] public string Island { get; set; } = "";
    [ColumnName("bill_length_mm")] public float BillLengthMm { get; set; }
    [ColumnName("bill_depth_mm")] public float BillDepthMm { get; set; }
    [ColumnName("flipper_length_mm")] public float FlipperLengthMm { get; set; }
    [ColumnName("body_mass_g")] public float BodyMassG { get; set; }
    [ColumnName("sex")] public string Sex { get; set; } = "";
}
