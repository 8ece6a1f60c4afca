using System.Reflection;

namespace Pipeline.Engine;

/// <summary>Finds [Parameter] members on a build by reflection and fails loudly on anything it cannot support.</summary>
internal static class ParameterDiscovery
{
    private const BindingFlags DeclaredMembers =
        BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    // Variables the OS or CI sets for its own purposes: a parameter reading one would silently pick up a foreign value.
    private static readonly string[] ReservedEnvironmentVariables =
        ["PATH", "HOME", "USER", "SHELL", "PWD", "TMPDIR", "TEMP", "TMP", "LANG", "TERM", "HOSTNAME", "CI"];

    public static IReadOnlyList<ParameterDescriptor> Discover(BuildDefinition build)
    {
        var errors = new List<string>();
        var parameters = new List<ParameterDescriptor>();
        foreach (var member in Members(build.GetType()))
        {
            var attribute = member.GetCustomAttribute<ParameterAttribute>(inherit: true);
            if (attribute is null)
            {
                continue;
            }

            var descriptor = TryDescribe(build, member, attribute, errors);
            if (descriptor is not null)
            {
                parameters.Add(descriptor);
            }
        }

        CheckNames(parameters, errors);
        return errors.Count > 0 ? throw new BuildConfigurationException(errors) : parameters;
    }

    /// <summary>Fields and properties, base classes first, each type in declaration order; overridden properties once.</summary>
    private static IEnumerable<MemberInfo> Members(Type buildType)
    {
        var seenProperties = new HashSet<MethodInfo>();
        foreach (var type in BuildTypeHierarchy.BaseFirst(buildType))
        {
            var members = type.GetFields(DeclaredMembers).Cast<MemberInfo>()
                .Concat(type.GetProperties(DeclaredMembers).Where(property => property.GetIndexParameters().Length == 0))
                .Where(member => !member.Name.Contains("k__BackingField", StringComparison.Ordinal))
                .OrderBy(member => member.MetadataToken);
            foreach (var member in members)
            {
                if (member is PropertyInfo { GetMethod: { } getter } && !seenProperties.Add(getter.GetBaseDefinition()))
                {
                    continue;
                }

                yield return member;
            }
        }
    }

    private static ParameterDescriptor? TryDescribe(BuildDefinition build, MemberInfo member, ParameterAttribute attribute, List<string> errors)
    {
        var owner = member.DeclaringType?.Name;
        var (memberType, isStatic, readable, writable) = member switch
        {
            FieldInfo field => (field.FieldType, field.IsStatic, true, true),
            PropertyInfo property => (property.PropertyType, property.GetMethod?.IsStatic ?? property.SetMethod?.IsStatic ?? false,
                property.GetMethod is not null, property.SetMethod is not null || ParameterDescriptor.FindBackingField(property) is not null),
            _ => (typeof(void), false, false, false),
        };

        if (isStatic)
        {
            errors.Add($"Parameter {owner}.{member.Name} is static; parameters must be instance fields or properties (no static state).");
            return null;
        }

        if (!readable || !writable)
        {
            errors.Add($"Parameter {owner}.{member.Name} must be readable and settable: use a field, an auto-property or a property with a setter.");
            return null;
        }

        var type = ParameterType.TryCreate(memberType);
        if (type is null)
        {
            errors.Add($"Parameter {owner}.{member.Name} has unsupported type {ParameterType.DescribeClrType(memberType)}. Supported: {ParameterType.SupportedTypesText}.");
            return null;
        }

        object? defaultValue;
        try
        {
            defaultValue = member is FieldInfo f ? f.GetValue(build) : ((PropertyInfo)member).GetValue(build);
        }
        catch (TargetInvocationException exception)
        {
            errors.Add($"Reading the default of parameter {owner}.{member.Name} threw: {exception.InnerException?.Message}");
            return null;
        }

        var name = attribute.Name ?? member.Name.TrimStart('_');
        var isSecret = member.IsDefined(typeof(SecretAttribute), inherit: true);
        var choices = build.ParameterChoices(name);
        if (choices is not null && type.ElementType != typeof(string))
        {
            errors.Add($"Parameter {owner}.{member.Name} has choices from {nameof(BuildDefinition.ParameterChoices)} but is a {type.DisplayName}; only string parameters take choices (use an enum otherwise).");
            return null;
        }

        return new ParameterDescriptor(member, name, attribute.Description, type, isSecret, defaultValue) { Choices = choices };
    }

    private static void CheckNames(List<ParameterDescriptor> parameters, List<string> errors)
    {
        foreach (var group in parameters.GroupBy(parameter => parameter.KebabName, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
        {
            errors.Add($"Parameters {string.Join(" and ", group.Select(parameter => parameter.Name))} both map to option --{group.Key}; rename one or set [Parameter(Name = ...)].");
        }

        foreach (var parameter in parameters)
        {
            if (BuiltInOptions.All.Contains(parameter.KebabName, StringComparer.OrdinalIgnoreCase) || parameter.KebabName == "h")
            {
                errors.Add($"Parameter {parameter.Name} conflicts with the built-in option {parameter.Option}; rename it or set [Parameter(Name = ...)].");
            }

            if (ReservedEnvironmentVariables.Contains(parameter.EnvironmentVariable))
            {
                errors.Add($"Parameter {parameter.Name} would read environment variable {parameter.EnvironmentVariable}, which the system sets for its own use; rename it or set [Parameter(Name = ...)].");
            }

            if (parameter.KebabName.Length == 0)
            {
                errors.Add($"Parameter member '{parameter.Member.Name}' has no usable name; set [Parameter(Name = ...)].");
            }
        }
    }
}
