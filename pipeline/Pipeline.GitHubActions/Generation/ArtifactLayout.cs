namespace Pipeline.GitHubActions.Generation;

/// <summary>
/// Where an artifact's files land relative to the repository. actions/upload-artifact stores files relative to the
/// least common ancestor of the patterns' search paths (the part before the first wildcard; a single literal file is
/// stored by its name alone), so the download must go to that same directory for every file to return to its place.
/// </summary>
public static class ArtifactLayout
{
    public static string Root(IEnumerable<string> patterns)
    {
        var searchPaths = patterns
            .Where(pattern => !pattern.StartsWith('!'))
            .Select(SearchPath)
            .DistinctBy(path => string.Join('/', path.Segments), StringComparer.Ordinal)
            .ToList();
        if (searchPaths.Count == 0)
            throw new ArgumentException("An artifact needs at least one pattern that is not an exclusion.", nameof(patterns));

        // @actions/glob drops search paths that lie inside another one.
        searchPaths.RemoveAll(path => searchPaths.Any(other => IsInside(path.Segments, other.Segments)));
        if (searchPaths.Count == 1)
        {
            var single = searchPaths[0];
            return single.IsLiteral ? Join(single.Segments[..^1]) : Join(single.Segments);
        }

        IEnumerable<string> common = searchPaths[0].Segments;
        foreach (var path in searchPaths.Skip(1))
            common = common.Zip(path.Segments).TakeWhile(pair => pair.First == pair.Second).Select(pair => pair.First).ToArray();
        return Join(common);
    }

    private static SearchPathInfo SearchPath(string pattern)
    {
        var segments = pattern.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        var firstWildcard = Array.FindIndex(segments, segment => segment.IndexOfAny(['*', '?', '[']) >= 0);
        return firstWildcard < 0 ? new SearchPathInfo(segments, IsLiteral: true) : new SearchPathInfo(segments[..firstWildcard], IsLiteral: false);
    }

    private static bool IsInside(string[] path, string[] ancestor) =>
        path.Length > ancestor.Length && path.Take(ancestor.Length).SequenceEqual(ancestor, StringComparer.Ordinal);

    private static string Join(IEnumerable<string> segments)
    {
        var joined = string.Join('/', segments);
        return joined.Length == 0 ? "." : joined;
    }

    private sealed record SearchPathInfo(string[] Segments, bool IsLiteral);
}
