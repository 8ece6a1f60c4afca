using System.Globalization;

namespace Training.MlNet.Models;

/// <summary>Parses penguins.csv, where R writes "NA" for a value that was not measured.</summary>
internal static class PenguinsCsv
{
    public const string Header = "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year";

    public static async Task<IReadOnlyList<PenguinRow>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        if (lines.Length == 0 || lines[0].Trim() != Header)
            throw new InvalidDataException(
                $"'{path}' does not start with the palmerpenguins header '{Header}'; it is not the penguins.csv of r-cran-palmerpenguins. Re-run './build.sh Setup'.");
        var rows = new List<PenguinRow>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var fields = lines[i].Split(',');
            if (fields.Length != 8)
                throw new InvalidDataException($"'{path}' line {i + 1} has {fields.Length} fields, expected 8 ({Header}).");
            rows.Add(new PenguinRow
            {
                Species = fields[0],
                Island = fields[1],
                BillLengthMm = Number(fields[2], path, i),
                BillDepthMm = Number(fields[3], path, i),
                FlipperLengthMm = Number(fields[4], path, i),
                BodyMassG = Number(fields[5], path, i),
                // "NA" stays as text: an unrecorded sex becomes its own category (11 rows), so the served model
                // takes the same "NA" a client copies from the data, and the one-hot needs no missing-value path.
                Sex = fields[6],
            });
        }
        return rows;
    }

    // NaN is ML.NET's missing float; ReplaceMissingValues fills it with the training mean.
    private static float Number(string field, string path, int line) =>
        field == "NA" ? float.NaN
        : float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidDataException($"'{path}' line {line + 1}: '{field}' is neither a number nor NA.");
}
