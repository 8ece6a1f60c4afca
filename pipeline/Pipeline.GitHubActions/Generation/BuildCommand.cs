using System.Text.RegularExpressions;

namespace Pipeline.GitHubActions.Generation;

/// <summary>The shell command a job runs: the build script with targets, <c>--skip</c> and parameters, as a developer types it.</summary>
public static partial class BuildCommand
{
    public static string Format(string script, IEnumerable<string> targets, IReadOnlyList<string> skips, IEnumerable<KeyValuePair<string, string>> options)
    {
        var words = new List<string> { script };
        words.AddRange(targets);
        if (skips.Count > 0)
        {
            words.Add("--skip");
            words.AddRange(skips);
        }

        foreach (var (option, value) in options)
        {
            words.Add(option);
            words.Add(ShellWord(value));
        }

        return string.Join(' ', words);
    }

    /// <summary>The value as one shell word: bare when it is plainly safe, otherwise single-quoted.</summary>
    public static string ShellWord(string value) =>
        value.Length > 0 && SafeWord().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex SafeWord();
}
