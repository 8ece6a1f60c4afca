namespace Pipeline.Engine;

/// <summary>
/// Marks an instance field or property as a build parameter. The value is resolved from, in order:
/// the command line (<c>--kebab-case</c>), the environment variable (<c>UPPER_SNAKE_CASE</c>; arrays are split on commas
/// and newlines, empty variables count as unset), <c>.nuke/parameters.NAME.json</c> for each <c>--profile NAME</c>,
/// <c>.nuke/parameters.json</c> (keyed by member name), and finally the member's initial value.
/// Supported types: string, int, long, double, bool, enums, <see cref="AbsolutePath"/>, arrays of these and nullable forms.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;

    /// <summary>Overrides the member name the option, environment variable and parameters.json key derive from.</summary>
    public string? Name { get; init; }
}
