using System.Text.RegularExpressions;

namespace Pipeline.ModelRegistry;

/// <summary>Environment names (<c>local</c>, <c>kubernetes</c>, <c>staging-eu</c>…). They become file names, and are
/// lowercase so that two spellings can never be two environments on a case-insensitive file system.</summary>
public static partial class EnvironmentNames
{
    public static void Validate(string environment)
    {
        if (!EnvironmentPattern().IsMatch(environment))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"'{environment}' is not a valid environment name: use 1 to 63 lowercase letters, digits and '.', '_', '-', " +
                "starting with a letter or digit (e.g. local, kubernetes, staging-eu).");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex EnvironmentPattern();
}
