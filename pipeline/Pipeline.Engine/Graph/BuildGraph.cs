namespace Pipeline.Engine;

/// <summary>
/// The declared targets and parameters of a build, without running anything. Immutable. Use it to inspect a build or to
/// generate CI workflows: <c>BuildGraph.From&lt;Build&gt;()</c>.
/// </summary>
public sealed class BuildGraph
{
    internal BuildGraph(Type buildType, IReadOnlyList<TargetDescriptor> targets, IReadOnlyList<ParameterDescriptor> parameters, string? defaultTarget)
    {
        BuildType = buildType;
        Targets = targets;
        Parameters = parameters;
        DefaultTarget = defaultTarget;
    }

    public Type BuildType { get; }

    /// <summary>Targets in declaration order (base classes first).</summary>
    public IReadOnlyList<TargetDescriptor> Targets { get; }

    /// <summary>Parameters in declaration order, with their defaults.</summary>
    public IReadOnlyList<ParameterDescriptor> Parameters { get; }

    public string? DefaultTarget { get; }

    /// <summary>The target with this name (case-insensitive), or null.</summary>
    public TargetDescriptor? FindTarget(string name) =>
        Targets.FirstOrDefault(target => target.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The target with this name (case-insensitive); an unknown name fails with the closest valid one.</summary>
    public TargetDescriptor GetTarget(string name) =>
        FindTarget(name) ?? throw new BuildConfigurationException(UnknownTargetMessage(name));

    /// <summary>The parameter with this member name or kebab name (case-insensitive), or null.</summary>
    public ParameterDescriptor? FindParameter(string name) =>
        Parameters.FirstOrDefault(parameter =>
            parameter.Name.Equals(name, StringComparison.OrdinalIgnoreCase) ||
            parameter.KebabName.Equals(name.TrimStart('-'), StringComparison.OrdinalIgnoreCase));

    /// <summary>Defines the build's targets with parameter defaults. The root defaults to the nearest ancestor of the current directory containing .nuke/.</summary>
    public static BuildGraph From<TBuild>(string? rootDirectory = null)
        where TBuild : BuildDefinition, new() => From(new TBuild(), rootDirectory);

    public static BuildGraph From(BuildDefinition build, string? rootDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        var root = rootDirectory is not null
            ? AbsolutePath.Create(Path.GetFullPath(rootDirectory))
            : RootDirectoryLocator.Find(Directory.GetCurrentDirectory()) ?? AbsolutePath.Create(Directory.GetCurrentDirectory());
        var parameters = ParameterDiscovery.Discover(build);
        build.Initialize(new BuildEnvironment(root, new Dictionary<string, string>()));
        return TargetDiscovery.CreateGraph(build, parameters);
    }

    internal string UnknownTargetMessage(string name) =>
        $"Unknown target '{name}'." + NameSuggester.DidYouMean(
            name,
            Targets.Select(target => target.Name),
            $" Available targets: {string.Join(", ", Targets.Select(target => target.Name))}.");
}
