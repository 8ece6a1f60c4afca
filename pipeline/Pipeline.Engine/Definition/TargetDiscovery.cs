using System.Reflection;

namespace Pipeline.Engine;

/// <summary>
/// Finds Target properties by reflection, runs each definition lambda, and turns target references into names.
/// Every problem is collected and raised together before anything runs.
/// </summary>
internal static class TargetDiscovery
{
    private const BindingFlags DeclaredInstance =
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static BuildGraph CreateGraph(BuildDefinition build, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var errors = new List<string>();
        var buildType = build.GetType();
        CheckMisdeclaredTargets(buildType, errors);
        var namesByMethod = new Dictionary<MethodInfo, string>();
        var declared = new List<(string Name, Target Lambda)>();
        foreach (var property in TargetProperties(buildType))
        {
            if (ReadTarget(build, property, errors) is not { } lambda)
            {
                continue;
            }

            if (namesByMethod.TryGetValue(lambda.Method, out var existing))
            {
                errors.Add($"Target properties {existing} and {property.Name} return the same target; give each target its own lambda.");
                continue;
            }

            namesByMethod[lambda.Method] = property.Name;
            declared.Add((property.Name, lambda));
        }

        foreach (var group in declared.GroupBy(target => target.Name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
        {
            errors.Add($"Duplicate target name '{group.Key}': {string.Join(", ", group.Select(target => target.Name))} (target names are case-insensitive). Rename one.");
        }

        ThrowIfAny(errors);
        var definitions = declared.Select(target => Define(build, target.Name, target.Lambda, errors)).ToList();
        var resolver = new TargetReferenceResolver(namesByMethod, buildType.Name, errors);
        var defaultTarget = ReadDefaultTarget(build, resolver, errors);
        var descriptors = definitions.Select((definition, index) => Describe(definition, index, definitions, resolver, defaultTarget)).ToList();
        CheckConsumedArtifacts(descriptors, errors);
        ThrowIfAny(errors);
        return new BuildGraph(buildType, descriptors, parameters, defaultTarget);
    }

    /// <summary>Target-typed properties, base classes first, each type in declaration order; DefaultTarget excluded.</summary>
    private static IEnumerable<PropertyInfo> TargetProperties(Type buildType)
    {
        var seen = new HashSet<MethodInfo>();
        return BuildTypeHierarchy.BaseFirst(buildType)
            .SelectMany(type => type.GetProperties(DeclaredInstance).OrderBy(property => property.MetadataToken))
            .Where(property => property.PropertyType == typeof(Target) && property.GetIndexParameters().Length == 0 && property.GetMethod is not null)
            .Where(property => property.GetMethod!.GetBaseDefinition().DeclaringType != typeof(BuildDefinition))
            .Where(property => seen.Add(property.GetMethod!.GetBaseDefinition()))
            .ToList();
    }

    // A static property or a field of type Target would be silently ignored by discovery; say so instead.
    private static void CheckMisdeclaredTargets(Type buildType, List<string> errors)
    {
        const BindingFlags anyDeclared = DeclaredInstance | BindingFlags.Static;
        foreach (var type in BuildTypeHierarchy.BaseFirst(buildType))
        {
            foreach (var property in type.GetProperties(anyDeclared).Where(p => p.PropertyType == typeof(Target) && p.GetMethod?.IsStatic == true))
            {
                errors.Add($"Target property {property.Name} is static; declare targets as instance properties: `Target {property.Name} => _ => ...`.");
            }

            foreach (var field in type.GetFields(anyDeclared).Where(f => f.FieldType == typeof(Target) && !f.Name.Contains('<')))
            {
                errors.Add($"Target {field.Name} is a field; declare it as a property: `Target {field.Name} => _ => ...`.");
            }
        }
    }

    private static Target? ReadTarget(BuildDefinition build, PropertyInfo property, List<string> errors)
    {
        try
        {
            var lambda = (Target?)property.GetValue(build);
            if (lambda is null)
            {
                errors.Add($"Target property {property.Name} returned null; declare it as `Target {property.Name} => _ => _.Executes(...);`.");
            }

            return lambda;
        }
        catch (TargetInvocationException exception)
        {
            errors.Add($"Reading target property {property.Name} threw {exception.InnerException?.GetType().Name}: {exception.InnerException?.Message}");
            return null;
        }
    }

    private static TargetDefinition Define(BuildDefinition build, string name, Target lambda, List<string> errors)
    {
        var definition = new TargetDefinition(name, build);
        try
        {
            if (!ReferenceEquals(lambda(definition), definition))
            {
                errors.Add($"Target {name} must return the definition it was given, as in `_ => _.Executes(...)`.");
            }
        }
        catch (BuildConfigurationException exception)
        {
            errors.AddRange(exception.Errors.Select(error => $"Target {name}: {error}"));
        }
        catch (Exception exception)
        {
            errors.Add($"Defining target {name} threw {exception.GetType().Name}: {exception.Message}");
        }

        return definition;
    }

    private static string? ReadDefaultTarget(BuildDefinition build, TargetReferenceResolver resolver, List<string> errors)
    {
        try
        {
            return build.DefaultTarget is { } target ? resolver.Resolve(target, "DefaultTarget", "=>") : null;
        }
        catch (Exception exception)
        {
            errors.Add($"Reading DefaultTarget threw {exception.GetType().Name}: {exception.Message}");
            return null;
        }
    }

    private static TargetDescriptor Describe(
        TargetDefinition definition,
        int index,
        IReadOnlyList<TargetDefinition> all,
        TargetReferenceResolver resolver,
        string? defaultTarget)
    {
        var name = definition.Name;
        var dependsOn = resolver.ResolveAll(definition.DependsOnTargets, name, nameof(ITargetDefinition.DependsOn))
            .Concat(Inverse(all, name, other => other.DependentForTargets, resolver, nameof(ITargetDefinition.DependentFor)));
        var triggers = resolver.ResolveAll(definition.TriggersTargets, name, nameof(ITargetDefinition.Triggers))
            .Concat(Inverse(all, name, other => other.TriggeredByTargets, resolver, nameof(ITargetDefinition.TriggeredBy)));
        var consumes = definition.ConsumedArtifacts
            .Select(consumed => (Target: resolver.Resolve(consumed.Target, name, nameof(ITargetDefinition.Consumes)), consumed.Patterns))
            .Where(consumed => consumed.Target is not null)
            .Select(consumed => new ConsumedArtifacts(consumed.Target!, consumed.Patterns))
            .ToArray();
        var behavior = new TargetBehavior(
            definition.StaticConditions.ToArray(),
            definition.DynamicConditions.ToArray(),
            definition.InputMembers.ToArray(),
            definition.RequiredMembers.ToArray(),
            definition.Actions.ToArray());
        return new TargetDescriptor(
            name,
            index,
            definition.DescriptionText,
            Distinct(dependsOn),
            Distinct(resolver.ResolveAll(definition.AfterTargets, name, nameof(ITargetDefinition.After))),
            Distinct(resolver.ResolveAll(definition.BeforeTargets, name, nameof(ITargetDefinition.Before))),
            Distinct(triggers),
            Distinct(definition.InputPaths),
            Distinct(definition.CodeInputProjects),
            Distinct(definition.OutputPaths),
            Distinct(definition.ProducedPatterns),
            consumes,
            definition.ProceedsAfterFailure,
            definition.IsAssuredAfterFailure,
            string.Equals(name, defaultTarget, StringComparison.Ordinal),
            behavior);
    }

    // Other targets that declared `DependentFor(this)` or `TriggeredBy(this)` contribute to this target's lists.
    private static IEnumerable<string> Inverse(
        IReadOnlyList<TargetDefinition> all,
        string name,
        Func<TargetDefinition, List<Target>> references,
        TargetReferenceResolver resolver,
        string method) =>
        all.Where(other => references(other).Any(reference => resolver.Resolve(reference, other.Name, method) == name))
            .Select(other => other.Name);

    private static void CheckConsumedArtifacts(IReadOnlyList<TargetDescriptor> targets, List<string> errors)
    {
        foreach (var target in targets)
        {
            foreach (var consumed in target.Consumes)
            {
                var producer = targets.First(candidate => candidate.Name == consumed.Target);
                if (producer.Produces.Count == 0)
                {
                    errors.Add($"Target {target.Name} consumes artifacts of {producer.Name}, which declares none; add .Produces(...) to {producer.Name}.");
                }
            }
        }
    }

    private static string[] Distinct(IEnumerable<string?> values) =>
        values.Where(value => value is not null).Select(value => value!).Distinct(StringComparer.Ordinal).ToArray();

    private static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new BuildConfigurationException(errors.Distinct().ToArray());
        }
    }
}
