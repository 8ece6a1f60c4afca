using System.Text.RegularExpressions;

namespace Pipeline.Monitoring.Tests;

/// <summary>
/// The metric names a PromQL expression selects: identifiers that are not functions, keywords, label names (inside
/// {...} or a by/without/on/ignoring/group list), durations ([5m]) or string contents. Enough for the expressions the
/// project ships; Prometheus itself checks that they parse.
/// </summary>
internal static partial class PromqlNames
{
    private static readonly HashSet<string> Keywords =
        [
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan",
            // aggregation operators may put their by/without list before the parenthesis: sum by (x) (...)
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        ];

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = Braces().Replace(text, "{}");
        text = Brackets().Replace(text, "[]");
        text = LabelLists().Replace(text, "$1 ()");
        return Identifiers().Matches(text)
            .Where(m => !Keywords.Contains(m.Value.ToLowerInvariant()) && !IsCall(text, m.Index + m.Length))
            .Select(m => m.Value).ToHashSet();
    }

    /// <summary>Grafana's template variables ($model, ${datasource}) as a query Prometheus accepts: a regex matching anything.</summary>
    public static string WithoutTemplateVariables(string expression) => TemplateVariables().Replace(expression, ".*");

    private static bool IsCall(string text, int end)
    {
        while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
        return end < text.Length && text[end] == '(';
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"(?<![\w.:$])[a-zA-Z_:][\w:]*")]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex TemplateVariables();
}
