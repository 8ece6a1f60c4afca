using System.Reflection;

namespace Pipeline.Engine;

/// <summary>
/// Maps a <see cref="Target"/> delegate to its name. Each property access creates a new delegate, but the method
/// behind the lambda is always the same, so the method is the identity.
/// </summary>
internal sealed class TargetReferenceResolver(IReadOnlyDictionary<MethodInfo, string> namesByMethod, string buildName, List<string> errors)
{
    private readonly HashSet<string> _reported = [];

    public string? Resolve(Target target, string owner, string method)
    {
        if (namesByMethod.TryGetValue(target.Method, out var name))
        {
            return name;
        }

        var error = $"Target {owner}: {method}(...) refers to a target that is not a Target property of {buildName}.";
        if (_reported.Add(error))
        {
            errors.Add(error);
        }

        return null;
    }

    public IEnumerable<string?> ResolveAll(IEnumerable<Target> targets, string owner, string method) =>
        targets.Select(target => Resolve(target, owner, method)).ToList();
}
