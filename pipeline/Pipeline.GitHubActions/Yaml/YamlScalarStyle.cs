using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.GitHubActions.Yaml;

/// <summary>
/// Decides how a text scalar is written so that every YAML reader (1.1 and 1.2) reads back the same string:
/// plain when unambiguous, single-quoted when a plain scalar would be a boolean, number, null, date, alias, tag,
/// comment or key, double-quoted when it holds control characters, a literal block when it spans lines.
/// </summary>
public static partial class YamlScalarStyle
{
    public static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || value != value.Trim())
            return true;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal))
            return true;
        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':'))
            return true;
        return ReservedWord().IsMatch(value) || NumberLike().IsMatch(value) || DateLike().IsMatch(value);
    }

    public static bool HasControlCharacters(string value) =>
        value.Any(c => (char.IsControl(c) && c != '\n') || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\uFEFF');

    /// <summary>Block literal for multi-line text (scripts stay readable), unless control characters force escapes.</summary>
    public static bool IsBlock(string value) => value.Contains('\n', StringComparison.Ordinal) && !HasControlCharacters(value);

    public static string SingleQuoted(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    /// <summary>The scalar on one line: plain, single-quoted or double-quoted.</summary>
    public static string Inline(string value) =>
        HasControlCharacters(value) || value.Contains('\n', StringComparison.Ordinal) ? DoubleQuoted(value)
        : NeedsQuotes(value) ? SingleQuoted(value)
        : value;

    /// <summary>
    /// The block header: <c>|</c> keeps one final line break, <c>|-</c> none, <c>|+</c> all; an indentation indicator
    /// when the first line starts with a space (the reader would otherwise take that space as indentation).
    /// </summary>
    public static string BlockHeader(string value)
    {
        var indicator = value.StartsWith(' ') || value.StartsWith('\n') ? "2" : "";
        var trailing = value.Length - value.TrimEnd('\n').Length;
        var chomping = trailing switch { 0 => "-", 1 => "", _ => "+" };
        return "|" + indicator + chomping;
    }

    // YAML 1.1 booleans and nulls as well as 1.2's, since GitHub's and other readers differ.
    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$")]
    private static partial Regex ReservedWord();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|[-+]?0b[01_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex DateLike();
}
