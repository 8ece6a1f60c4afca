using System.Globalization;

namespace Pipeline.Docker;

/// <summary>
/// Tolerant reads of engine answers: the engine sends null for empty maps and lists ("Labels": null) and
/// leaves fields out on older versions, so a missing or null field reads as empty, never as an exception.
/// </summary>
internal static class JsonElementReading
{
    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static JsonElement? Object(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    public static string? String(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static string RequiredString(this JsonElement element, string name, string operation) =>
        element.String(name) ?? throw new DockerException($"Cannot {operation}: the engine's answer has no \"{name}\"");

    public static long Int64(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : 0;

    public static bool Boolean(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.True };

    public static DateTimeOffset? Time(this JsonElement element, string name) =>
        element.String(name) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
        && time.Year > 1
            ? time
            : null;

    public static IReadOnlyList<string> Strings(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToArray()
            : [];

    public static IReadOnlyDictionary<string, string> StringMap(this JsonElement element, string name) =>
        element.Object(name) is { } map
            ? map.EnumerateObject()
                .Where(pair => pair.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(pair => pair.Name, pair => pair.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
