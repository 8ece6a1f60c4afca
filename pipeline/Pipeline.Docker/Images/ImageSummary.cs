namespace Pipeline.Docker;

/// <summary>One image from GET /images/json.</summary>
public sealed record ImageSummary(
    string Id,
    IReadOnlyList<string> RepoTags,
    DateTimeOffset Created,
    long SizeBytes,
    IReadOnlyDictionary<string, string> Labels)
{
    internal static ImageSummary Read(JsonElement image, string operation) => new(
        image.RequiredString("Id", operation),
        // An untagged image lists "<none>:<none>": that is the absence of a tag, not a tag.
        image.Strings("RepoTags").Where(tag => tag != "<none>:<none>").ToArray(),
        DateTimeOffset.FromUnixTimeSeconds(image.Int64("Created")),
        image.Int64("Size"),
        image.StringMap("Labels"));
}
