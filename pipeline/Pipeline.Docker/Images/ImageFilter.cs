namespace Pipeline.Docker;

/// <summary>Which images <see cref="DockerClient.ListImagesAsync"/> returns; every condition set must hold.</summary>
public sealed record ImageFilter
{
    /// <summary>A reference pattern as the engine matches it: "team/model", "team/model:1.*", "team/*".</summary>
    public string? Reference { get; init; }

    /// <summary>"key" (the label is present) or "key=value" entries.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Also the intermediate images of classic builds (untagged parents), not only top-level ones.</summary>
    public bool IncludeIntermediate { get; init; }

    internal IDictionary<string, IDictionary<string, bool>> ToFilters()
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal);
        if (Reference is { Length: > 0 } reference)
        {
            filters["reference"] = new Dictionary<string, bool> { [reference] = true };
        }

        if (Labels.Count > 0)
        {
            filters["label"] = Labels.ToDictionary(label => label, _ => true);
        }

        return filters;
    }
}
