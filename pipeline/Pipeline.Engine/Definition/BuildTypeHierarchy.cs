namespace Pipeline.Engine;

internal static class BuildTypeHierarchy
{
    /// <summary>The build's own classes between <see cref="BuildDefinition"/> and <paramref name="buildType"/>, base first.</summary>
    public static IReadOnlyList<Type> BaseFirst(Type buildType)
    {
        var hierarchy = new List<Type>();
        for (var type = buildType; type is not null && type != typeof(BuildDefinition); type = type.BaseType)
        {
            hierarchy.Insert(0, type);
        }

        return hierarchy;
    }
}
