namespace Pipeline.Docker;

/// <summary>What GET /images/{name}/json says about one image.</summary>
public sealed record ImageDetails(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    DateTimeOffset? Created,
    long SizeBytes,
    IReadOnlyDictionary<string, string> Labels,
    string Architecture,
    string Os)
{
    internal static ImageDetails Read(JsonElement image, string operation) => new(
        image.RequiredString("Id", operation),
        image.Strings("RepoTags"),
        image.Strings("RepoDigests"),
        image.Time("Created"),
        image.Int64("Size"),
        image.Object("Config")?.StringMap("Labels") ?? new Dictionary<string, string>(),
        image.String("Architecture") ?? "unknown",
        image.String("Os") ?? "unknown");
}
