namespace Pipeline.Docker;

/// <summary>What the engine says about one image (inspect), in the fields the pipeline reads.</summary>
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
    internal static ImageDetails Read(ImageInspectResponse image) => new(
        image.ID,
        [.. image.RepoTags ?? []],
        [.. image.RepoDigests ?? []],
        EngineTime.From(image.Created),
        image.Size,
        new Dictionary<string, string>(image.Config?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        image.Architecture ?? "unknown",
        image.Os ?? "unknown");
}
