using System.Text;

namespace Pipeline.GitHubActions.Yaml;

/// <summary>
/// Writes a <see cref="YamlNode"/> tree in block style with two-space indentation, entries in the order built,
/// '\n' line ends and no trailing spaces: the same tree always gives the same bytes.
/// </summary>
public static class YamlWriter
{
    private const int IndentStep = 2;

    /// <summary>The document, preceded by <paramref name="headerComment"/> lines as <c># ...</c> comments.</summary>
    public static string Write(YamlNode root, IReadOnlyList<string>? headerComment = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var output = new StringBuilder();
        foreach (var line in headerComment ?? [])
            output.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        if (headerComment is { Count: > 0 })
            output.Append('\n');

        switch (root)
        {
            case YamlMapping mapping:
                WriteMapping(output, mapping, 0);
                break;
            case YamlSequence sequence:
                WriteSequence(output, sequence, 0);
                break;
            case YamlScalar scalar:
                output.Append(InlineScalar(scalar)).Append('\n');
                break;
        }

        return output.ToString();
    }

    private static void WriteMapping(StringBuilder output, YamlMapping mapping, int indent, bool firstLineIndented = true)
    {
        for (var i = 0; i < mapping.Entries.Count; i++)
        {
            var (key, value) = (mapping.Entries[i].Key, mapping.Entries[i].Value);
            if (i > 0 && mapping.Spaced)
                output.Append('\n');
            if (i > 0 || firstLineIndented)
                output.Append(' ', indent);
            output.Append(Key(key)).Append(':');
            WriteValue(output, value, indent);
        }
    }

    private static void WriteSequence(StringBuilder output, YamlSequence sequence, int indent)
    {
        foreach (var item in sequence.Items)
        {
            output.Append(' ', indent).Append('-');
            switch (item)
            {
                case YamlMapping { Entries.Count: > 0 } mapping:
                    output.Append(' ');
                    WriteMapping(output, mapping, indent + IndentStep, firstLineIndented: false);
                    break;
                default:
                    WriteValue(output, item, indent);
                    break;
            }
        }
    }

    // Writes what follows "key:" or "-": an inline scalar, a block literal, or a nested collection on the next lines.
    private static void WriteValue(StringBuilder output, YamlNode value, int indent)
    {
        switch (value)
        {
            case YamlScalar { Raw: false } scalar when YamlScalarStyle.IsBlock(scalar.Value):
                output.Append(' ').Append(YamlScalarStyle.BlockHeader(scalar.Value)).Append('\n');
                var lines = scalar.Value.TrimEnd('\n').Split('\n');
                foreach (var line in lines)
                {
                    if (line.Length > 0)
                        output.Append(' ', indent + IndentStep).Append(line);
                    output.Append('\n');
                }

                for (var extra = scalar.Value.Length - scalar.Value.TrimEnd('\n').Length; extra > 1; extra--)
                    output.Append('\n');
                break;
            case YamlScalar scalar:
                output.Append(' ').Append(InlineScalar(scalar)).Append('\n');
                break;
            case YamlMapping { Entries.Count: 0 }:
                output.Append(" {}\n");
                break;
            case YamlSequence { Items.Count: 0 }:
                output.Append(" []\n");
                break;
            case YamlMapping mapping:
                output.Append('\n');
                WriteMapping(output, mapping, indent + IndentStep);
                break;
            case YamlSequence sequence:
                output.Append('\n');
                WriteSequence(output, sequence, indent + IndentStep);
                break;
        }
    }

    private static string InlineScalar(YamlScalar scalar)
    {
        var text = scalar.Raw ? scalar.Value : YamlScalarStyle.Inline(scalar.Value);
        return scalar.Comment is null ? text : $"{text} # {scalar.Comment}";
    }

    // Identifier keys stay plain even when YAML 1.1 would read them as booleans: GitHub reads keys as strings and
    // documents `on:` unquoted.
    private static string Key(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? key
            : YamlScalarStyle.Inline(key);
}
