using System.Text.Json;
using System.Text.Json.Serialization;

namespace Training.Stages;

/// <summary>How metrics.json is written: camelCase, indented, enums as names, so people and tools can both read it.</summary>
internal static class MetricsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
