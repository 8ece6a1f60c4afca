using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.GitHubActions.Yaml;

/// <summary>YamlDotNet scalar nodes with the style that makes every YAML reader (1.1 and 1.2) read back the same value.</summary>
/// <remarks>
/// YamlDotNet's emitter already quotes what its own parser would misread (indicators, leading or trailing spaces,
/// ": ", " #", control characters) and falls back from a literal block to double quotes when a block cannot hold the
/// text. What it does not know is which plain text a schema resolves to a boolean, number, null or date: that is a
/// serializer decision, and the serializer's list (WithQuotingNecessaryStrings) misses YAML 1.2 integers such as
/// <c>08</c>, exponents without a dot such as <c>1e3</c>, and dates. So that one decision is made here.
/// </remarks>
public static partial class YamlScalars
{
    /// <summary>
    /// Text: a literal block when it spans lines (scripts stay readable), single-quoted when a reader would take it
    /// for another type, plain otherwise; double-quoted when it holds a line break other than '\n', which a reader
    /// turns into '\n' anywhere but in an escape.
    /// </summary>
    public static YamlScalarNode Text(string value) => new(value)
    {
        Style = value.AsSpan().IndexOfAny(OtherLineBreaks) >= 0 ? ScalarStyle.DoubleQuoted
            : value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : ReadsAsOtherType(value) ? ScalarStyle.SingleQuoted
            : ScalarStyle.Plain,
    };

    /// <summary>
    /// A mapping key: identifiers stay plain even when YAML 1.1 would read them as booleans, since GitHub reads keys as
    /// strings and documents <c>on:</c> unquoted; any other key is text.
    /// </summary>
    public static YamlScalarNode Key(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? new(key) { Style = ScalarStyle.Plain }
            : Text(key);

    public static YamlScalarNode Number(int value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    public static YamlScalarNode Boolean(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    /// <summary>True when a plain scalar with this text would be read as something other than this string.</summary>
    public static bool ReadsAsOtherType(string value) =>
        value.Length == 0 || ReservedWord().IsMatch(value) || NumberLike().IsMatch(value) || DateLike().IsMatch(value);

    private static readonly System.Buffers.SearchValues<char> OtherLineBreaks = System.Buffers.SearchValues.Create("\r\u0085\u2028\u2029");

    // YAML 1.1 booleans and nulls as well as 1.2's, since GitHub's and other readers differ.
    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$")]
    private static partial Regex ReservedWord();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|[-+]?0b[01_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex DateLike();
}
