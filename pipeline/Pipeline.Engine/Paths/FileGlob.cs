using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Engine;

/// <summary>
/// Expands a path or glob relative to a root: <c>*</c> and <c>?</c> match within one segment, <c>**</c> any number of
/// segments. An existing directory stands for every file below it. Results are files, sorted ordinally.
/// </summary>
internal static class FileGlob
{
    // Hidden files (dot files on Unix) are inputs too, so nothing is skipped by attribute.
    private static EnumerationOptions AllFiles() => new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
    };

    public static bool IsPattern(string path) => path.IndexOfAny(['*', '?']) >= 0;

    /// <summary>
    /// Expands every pattern, then removes the files matched by the patterns that start with '!'
    /// (as in .gitignore), so "src/**/*.cs", "!**/obj/**" keeps generated files out of a fingerprint.
    /// </summary>
    public static IReadOnlyList<AbsolutePath> ExpandAll(IEnumerable<string> patterns, AbsolutePath root)
    {
        var list = patterns.ToList();
        var excluded = list.Where(p => p.StartsWith('!')).Select(p => ToRegex(p[1..].Replace('\\', '/').Split('/'))).ToList();
        return list.Where(p => !p.StartsWith('!'))
            .SelectMany(pattern => Expand(pattern, root))
            .Distinct()
            .Where(file => !excluded.Any(regex => regex.IsMatch(file.RelativeTo(root))))
            .ToArray();
    }

    public static IReadOnlyList<AbsolutePath> Expand(string pattern, AbsolutePath root)
    {
        var normalized = pattern.Replace('\\', '/');
        if (!IsPattern(normalized))
        {
            var path = AbsolutePath.Resolve(normalized, root);
            return path.FileExists() ? [path] :
                path.DirectoryExists() ? Enumerate(path, _ => true) : [];
        }

        var segments = normalized.Split('/');
        var firstWildcard = Array.FindIndex(segments, IsPattern);
        var basePart = string.Join('/', segments.Take(firstWildcard));
        var baseDirectory = basePart.Length == 0 && normalized.StartsWith('/') ? AbsolutePath.Create("/")
            : basePart.Length == 0 ? root
            : AbsolutePath.Resolve(basePart, root);
        if (!baseDirectory.DirectoryExists())
        {
            return [];
        }

        var regex = ToRegex(segments.Skip(firstWildcard).ToArray());
        return Enumerate(baseDirectory, relative => regex.IsMatch(relative));
    }

    private static IReadOnlyList<AbsolutePath> Enumerate(AbsolutePath directory, Func<string, bool> matches) =>
        Directory.EnumerateFiles(directory, "*", AllFiles())
            .Select(AbsolutePath.Create)
            .Where(file => matches(file.RelativeTo(directory)))
            .OrderBy(file => file.ToString(), StringComparer.Ordinal)
            .ToArray();

    private static Regex ToRegex(string[] segments)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                builder.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }

            foreach (var c in segments[i])
            {
                builder.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            if (!last)
            {
                builder.Append('/');
            }
        }

        return new Regex(builder.Append('$').ToString(), OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : RegexOptions.None);
    }
}
