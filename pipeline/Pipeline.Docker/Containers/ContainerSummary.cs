namespace Pipeline.Docker;

/// <summary>One container of a container list; <paramref name="Status"/> is human text such as "Up 5 minutes".</summary>
public sealed record ContainerSummary(
    string Id,
    IReadOnlyList<string> Names,
    string Image,
    string State,
    string Status,
    IReadOnlyDictionary<string, string> Labels)
{
    internal static ContainerSummary Read(ContainerListResponse container) => new(
        container.ID,
        (container.Names ?? []).Select(name => name.TrimStart('/')).ToArray(),
        container.Image ?? string.Empty,
        container.State ?? "unknown",
        container.Status ?? string.Empty,
        new Dictionary<string, string>(container.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
}
