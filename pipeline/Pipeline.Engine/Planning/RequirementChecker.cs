using System.Collections;
using System.Reflection;

namespace Pipeline.Engine;

/// <summary>Checks that every member a planned target Requires has a value: non-null, non-blank, non-empty, and true for booleans.</summary>
internal static class RequirementChecker
{
    public static void Check(BuildGraph graph, IEnumerable<PlannedTarget> targets, List<string> errors)
    {
        foreach (var target in targets)
        {
            foreach (var member in target.Target.Behavior.Requirements)
            {
                object? value;
                try
                {
                    value = member.Read();
                }
                catch (TargetInvocationException exception)
                {
                    errors.Add($"Target {target.Name} requires {member.Name}, but reading it threw: {exception.InnerException?.Message}");
                    continue;
                }

                if (value is false)
                {
                    errors.Add($"Target {target.Name} requires {member.Name} to be true, but it is false.");
                    continue;
                }

                if (HasValue(value))
                {
                    continue;
                }

                var parameter = graph.Parameters.FirstOrDefault(candidate => candidate.Member == member.Member);
                errors.Add(parameter is null
                    ? $"Target {target.Name} requires {member.Name} to have a value, but it has none."
                    : $"Target {target.Name} requires parameter {parameter.Name}, but it has no value. " +
                      $"Pass {parameter.Option} <{parameter.TypeName}>, set {parameter.EnvironmentVariable}, or add \"{parameter.Name}\" to .nuke/parameters.json.");
            }
        }
    }

    public static bool HasValue(object? value) => value switch
    {
        null => false,
        string text => !string.IsNullOrWhiteSpace(text),
        ICollection collection => collection.Count > 0,
        _ => true,
    };
}
