using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>Turns parameter values into text: for people (masked when secret) and canonically for fingerprints.</summary>
internal static class ValueFormatter
{
    public const string NoValue = "(not set)";

    public static string Display(object? value, bool isSecret) => value switch
    {
        null => NoValue,
        Array { Length: 0 } => "(empty)",
        _ when isSecret => SecretMasker.Mask,
        _ => Format(value),
    };

    /// <summary>Unambiguous text: strings are JSON-quoted and arrays become JSON arrays, so <c>["a,b"]</c> and <c>["a","b"]</c> differ.</summary>
    public static string Canonical(object? value) => value switch
    {
        null => "null",
        string text => JsonSerializer.Serialize(text),
        IEnumerable items and not string => "[" + string.Join(",", items.Cast<object?>().Select(Canonical)) + "]",
        _ => Format(value),
    };

    /// <summary>Each element as text: arrays flattened, for secret masking.</summary>
    public static IEnumerable<string> Elements(object? value) => value switch
    {
        null => [],
        string text => [text],
        IEnumerable items => items.Cast<object?>().SelectMany(Elements),
        _ => [Format(value)],
    };

    public static string Format(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(item => item is null ? "null" : Format(item))),
        _ => value.ToString() ?? "",
    };
}
