using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Gates;

/// <summary>
/// gates.json: camelCase names, enums as strings, indented. Non-finite numbers are written as "NaN"/"Infinity"
/// rather than refused, so a model with broken outputs still gets a report that shows it.
/// </summary>
public static class GateReportJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options);
    }

    public static GateReport Deserialize(string json, string source = "gates.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        GateReport? report;
        try
        {
            report = JsonSerializer.Deserialize<GateReport>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{source}' is not a gate report: {e.Message}", e);
        }

        if (report is null)
            throw new InvalidDataException($"'{source}' is not a gate report: it holds null.");
        if (report.SchemaVersion is < 1 or > GateReport.CurrentSchemaVersion)
            throw new InvalidDataException(
                $"'{source}' has gate report schema version {report.SchemaVersion}; this build reads versions 1 to {GateReport.CurrentSchemaVersion}.");
        return report;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
