namespace Pipeline.GitHubActions.Yaml;

/// <summary>Blank lines for readers: after the header, and between top-level entries and the entries of one mapping (jobs).</summary>
/// <remarks>
/// The entries are spaced only when that mapping is named; the header is always followed by a blank line.
/// YamlDotNet's emitter cannot write an empty line (a <c>Comment</c> event always writes <c>#</c>), so they are put
/// into its block-style output. There, a line at column 0 is a top-level key or a comment, and a line at column 2
/// under a top-level mapping starts one of its entries: multi-line text is a literal block, indented deeper.
/// </remarks>
internal static class BlankLines
{
    public static string Between(string yaml, string? spacedMapping)
    {
        var lines = yaml.Split('\n');
        var output = new List<string>(lines.Length + 16);
        var inSpaced = false;
        var firstInSpaced = true;
        foreach (var line in lines)
        {
            var topLevel = line.Length > 0 && line[0] is not (' ' or '#');
            var spacedEntry = inSpaced && line.Length > 2 && line.StartsWith("  ", StringComparison.Ordinal) && line[2] is not (' ' or '-' or '#');
            var afterHeader = output.Count > 0 && output[^1].StartsWith('#');
            if ((topLevel && (afterHeader || (spacedMapping is not null && output.Count > 0))) || (spacedEntry && !firstInSpaced))
                output.Add("");
            if (topLevel)
            {
                inSpaced = spacedMapping is not null && line == spacedMapping + ":";
                firstInSpaced = true;
            }
            else if (spacedEntry)
            {
                firstInSpaced = false;
            }

            output.Add(line);
        }

        return string.Join('\n', output);
    }
}
