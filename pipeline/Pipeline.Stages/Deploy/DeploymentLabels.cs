namespace Pipeline.Stages;

/// <summary>
/// The labels a serving container of a local deployment carries. With the edge's description they are the whole
/// record of what runs where: no state file can go stale when Docker and the edge are asked instead.
/// </summary>
public static class DeploymentLabels
{
    public const string Deployment = "io.mlops.deployment";
    public const string Role = "io.mlops.role";
    public const string Color = "io.mlops.color";
    public const string ModelVersion = "io.mlops.model.version";

    public const string ServingRole = "serving";
    public const string Blue = "blue";
    public const string Green = "green";

    public static IReadOnlyDictionary<string, string> For(string deployment, string color, string version) => new Dictionary<string, string>
    {
        [Deployment] = deployment,
        [Role] = ServingRole,
        [Color] = color,
        [ModelVersion] = version,
    };

    /// <summary>The color the next container gets: the one the active container does not have (blue first).</summary>
    public static string Next(string? activeColor) => activeColor == Blue ? Green : Blue;
}
