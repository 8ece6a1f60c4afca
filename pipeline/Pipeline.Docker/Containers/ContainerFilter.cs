namespace Pipeline.Docker;

/// <summary>Which containers <see cref="DockerClient.ListContainersAsync"/> returns; every condition set must hold.</summary>
public sealed record ContainerFilter
{
    /// <summary>"key" (the label is present) or "key=value" entries.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>A name or part of one.</summary>
    public string? Name { get; init; }

    /// <summary>Also stopped and created containers, not only running ones. On by default: cleanup must see them all.</summary>
    public bool IncludeStopped { get; init; } = true;

    internal IDictionary<string, IDictionary<string, bool>> ToFilters()
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal);
        if (Labels.Count > 0)
        {
            filters["label"] = Labels.ToDictionary(label => label, _ => true);
        }

        if (Name is { Length: > 0 } name)
        {
            filters["name"] = new Dictionary<string, bool> { [name] = true };
        }

        return filters;
    }
}
