using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pipeline.GitHubActions.Yaml;

/// <summary>Passes events on to YamlDotNet's emitter, following each scalar that has a comment with it on the same line.</summary>
/// <remarks>
/// YamlDotNet's representation model has no place for a comment, but its emitter writes <see cref="Comment"/> events;
/// this adds them by the scalar's text. Used for the release after a SHA-pinned action, whose text
/// (<c>owner/name@</c> and 40 hex digits) nothing else in a workflow has.
/// </remarks>
internal sealed class InlineCommentEmitter(IEmitter next, IReadOnlyDictionary<string, string> comments) : IEmitter
{
    public void Emit(ParsingEvent @event)
    {
        next.Emit(@event);
        if (@event is Scalar scalar && comments.TryGetValue(scalar.Value, out var comment))
            next.Emit(new Comment(comment, isInline: true));
    }
}
