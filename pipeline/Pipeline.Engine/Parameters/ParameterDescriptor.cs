using System.Reflection;

namespace Pipeline.Engine;

/// <summary>A build parameter: its names on every channel, its type and its default. Immutable.</summary>
public sealed class ParameterDescriptor
{
    internal ParameterDescriptor(MemberInfo member, string name, string? description, ParameterType type, bool isSecret, object? defaultValue)
    {
        Member = member;
        Name = name;
        Description = description;
        ParameterType = type;
        IsSecret = isSecret;
        DefaultValue = defaultValue;
        KebabName = ParameterNaming.ToKebabCase(name);
        EnvironmentVariable = ParameterNaming.ToUpperSnakeCase(name);
    }

    /// <summary>The member name (or <see cref="ParameterAttribute.Name"/>); the key in parameters.json.</summary>
    public string Name { get; }

    /// <summary>Name on the command line without dashes, e.g. <c>min-accuracy</c>.</summary>
    public string KebabName { get; }

    /// <summary>The command-line option, e.g. <c>--min-accuracy</c>.</summary>
    public string Option => "--" + KebabName;

    /// <summary>e.g. <c>MIN_ACCURACY</c>.</summary>
    public string EnvironmentVariable { get; }

    public string? Description { get; }

    public Type Type => ParameterType.ClrType;

    /// <summary>Short type name for people: <c>int</c>, <c>string[]</c>, <c>path</c>, or the enum's name.</summary>
    public string TypeName => ParameterType.DisplayName;

    public bool IsArray => ParameterType.IsArray;

    /// <summary>Enum names, true/false for booleans, the build's choices for a string; empty for free-form values.</summary>
    public IReadOnlyList<string> AllowedValues => Choices ?? ParameterType.AllowedValues;

    /// <summary>The values the build allows for this string parameter (<see cref="BuildDefinition.ParameterChoices"/>), or null.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    public bool IsSecret { get; }

    /// <summary>The member's initial value. For secrets prefer <see cref="DisplayDefault"/>.</summary>
    public object? DefaultValue { get; }

    /// <summary>The default as text, masked for secrets.</summary>
    public string DisplayDefault => ValueFormatter.Display(DefaultValue, IsSecret);

    internal MemberInfo Member { get; }

    internal ParameterType ParameterType { get; }

    internal void Assign(object instance, object? value)
    {
        switch (Member)
        {
            case FieldInfo field:
                field.SetValue(instance, value);
                break;
            case PropertyInfo { SetMethod: not null } property:
                property.SetValue(instance, value);
                break;
            case PropertyInfo property:
                BackingField(property).SetValue(instance, value);
                break;
        }
    }

    internal static FieldInfo? FindBackingField(PropertyInfo property) =>
        property.DeclaringType?.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);

    private static FieldInfo BackingField(PropertyInfo property) =>
        FindBackingField(property) ?? throw new InvalidOperationException($"Parameter {property.Name} has no setter.");

    public override string ToString() => Option;
}
