namespace Pipeline.Docker;

/// <summary>One container from GET /containers/json; <paramref name="Status"/> is human text such as "Up 5 minutes".</summary>
public sealed record ContainerSummary(
    string Id,
    IReadOnlyList<string> Names,
    string Image,
    string State,
    string Status,
    IReadOnlyDictionary<string, string> Labels)
{
    internal static ContainerSummary Read(JsonElement container, string operation) => new(
        container.RequiredString("Id", operation),
        container.Strings("Names").Select(name => name.TrimStart('/')).ToArray(),
        container.String("Image") ?? string.Empty,
        container.String("State") ?? "unknown",
        container.String("Status") ?? string.Empty,
        container.StringMap("Labels"));
}
