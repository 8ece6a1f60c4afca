using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Pipeline.GitHubActions.Yaml;

/// <summary>Writes a YamlDotNet node tree as a document with YamlDotNet's emitter; the same tree always gives the same bytes.</summary>
/// <remarks>
/// Block style, two-space indents, sequences indented under their key, entries in the order built, '\n' line ends.
/// The header is written by YamlDotNet as <c>Comment</c> events, which always write <c>"# "</c>: an empty header line
/// would end in a space, so give none.
/// </remarks>
public static class YamlDocumentWriter
{
    // No line folding: a long `run:` command or expression stays on one line, as written in the declaration.
    private static readonly EmitterSettings Settings = EmitterSettings.Default
        .WithBestIndent(2).WithIndentedSequences().WithBestWidth(int.MaxValue).WithNewLine("\n");

    /// <summary>
    /// The document after <paramref name="headerComment"/> lines (<c># ...</c>) and a blank line. A scalar whose text
    /// is a key of <paramref name="inlineComments"/> is followed by that comment on its line. With
    /// <paramref name="spacedMapping"/> (a top-level key), blank lines separate the top-level entries and its entries.
    /// </summary>
    public static string Write(YamlNode root, IReadOnlyList<string>? headerComment = null,
        IReadOnlyDictionary<string, string>? inlineComments = null, string? spacedMapping = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var output = new StringWriter { NewLine = "\n" };
        IEmitter emitter = new InlineCommentEmitter(new Emitter(output, Settings), inlineComments ?? new Dictionary<string, string>());
        emitter.Emit(new StreamStart());
        foreach (var line in headerComment ?? [])
            emitter.Emit(new Comment(line, isInline: false));
        emitter.Emit(new DocumentStart());
        // A YamlNode emits just its own events this way; YamlStream.Save would end the document with an explicit '...'.
        ((IYamlConvertible)root).Write(emitter, nestedObjectSerializer: null!);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return BlankLines.Between(output.ToString(), spacedMapping);
    }
}
