namespace Pipeline.Docker;

/// <summary>One image of an image list.</summary>
public sealed record ImageSummary(
    string Id,
    IReadOnlyList<string> RepoTags,
    DateTimeOffset Created,
    long SizeBytes,
    IReadOnlyDictionary<string, string> Labels)
{
    internal static ImageSummary Read(ImagesListResponse image) => new(
        image.ID,
        // An untagged image lists "<none>:<none>": that is the absence of a tag, not a tag.
        (image.RepoTags ?? []).Where(tag => tag != "<none>:<none>").ToArray(),
        EngineTime.From(image.Created) ?? DateTimeOffset.UnixEpoch,
        image.Size,
        new Dictionary<string, string>(image.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
}
