using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Docker;

/// <summary>
/// The .dockerignore rules of a build context, with the engine's matching semantics for this subset:
/// <list type="bullet">
/// <item>one pattern per line; blank lines and lines starting with # are ignored;</item>
/// <item>patterns are relative to the context root and anchored there: "*.md" matches README.md but not
/// docs/guide.md; "**/*.md" matches both; a leading "/" or "./" and a trailing "/" are dropped;</item>
/// <item>"*" matches within one path segment, "?" one character, "[a-z]" a class, "**" any number of segments,
/// "\" escapes the next character;</item>
/// <item>a pattern matching a directory excludes everything under it ("**/bin" drops every bin directory);</item>
/// <item>"!pattern" re-includes what earlier lines excluded; the last matching line wins.</item>
/// </list>
/// Not supported: Windows path separators. "!" lines inside an excluded directory work: whenever a "!" line
/// exists, excluded directories are still walked so that what the exception names can be found.
/// </summary>
public sealed class DockerIgnore
{
    public const string FileName = ".dockerignore";

    private readonly IReadOnlyList<(Regex Pattern, bool Exception)> rules;

    private DockerIgnore(IReadOnlyList<(Regex, bool)> rules)
    {
        this.rules = rules;
    }

    public static DockerIgnore None { get; } = new([]);

    /// <summary>True when some line re-includes paths ("!..."), so an excluded directory must still be walked.</summary>
    public bool HasExceptions => rules.Any(rule => rule.Exception);

    public static DockerIgnore Parse(string text)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exception = line.StartsWith('!');
            var pattern = Normalize(exception ? line[1..].Trim() : line);
            if (pattern.Length > 0)
            {
                rules.Add((ToRegex(pattern), exception));
            }
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Reads <c>.dockerignore</c> at the context root, or no rules when there is none.</summary>
    public static async Task<DockerIgnore> LoadAsync(string contextDirectory, CancellationToken cancellationToken)
    {
        var file = Path.Combine(contextDirectory, FileName);
        return File.Exists(file) ? Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)) : None;
    }

    /// <summary>Whether the context-relative path (with "/" separators) is left out of the context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var candidates = SelfAndParents(relativePath);
        var excluded = false;
        foreach (var (pattern, exception) in rules)
        {
            if (candidates.Any(candidate => pattern.IsMatch(candidate)))
            {
                excluded = !exception;
            }
        }

        return excluded;
    }

    // "a/b/c" is excluded by a pattern matching "a", "a/b" or "a/b/c".
    private static List<string> SelfAndParents(string path)
    {
        var candidates = new List<string>();
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            candidates.Add(path[..slash]);
        }

        candidates.Add(path);
        return candidates;
    }

    private static string Normalize(string pattern)
    {
        while (pattern.StartsWith("./", StringComparison.Ordinal) || pattern.StartsWith('/'))
        {
            pattern = pattern.StartsWith('/') ? pattern[1..] : pattern[2..];
        }

        return pattern.TrimEnd('/');
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    // "**/" is zero or more whole directories; a trailing "**" is anything.
                    var slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                    regex.Append(slashFollows ? "(.*/)?" : ".*");
                    i += slashFollows ? 2 : 1;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($".dockerignore pattern \"{pattern}\" has a '[' without a closing ']'");
                    }

                    regex.Append('[').Append(pattern[(i + 1)..end].Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
