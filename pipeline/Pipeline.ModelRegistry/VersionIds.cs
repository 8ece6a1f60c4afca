using System.Text.RegularExpressions;

namespace Pipeline.ModelRegistry;

/// <summary>Version ids. Generated ids are <c>1.0.&lt;sequence&gt;+&lt;revision&gt;</c>: a SemVer whose patch number is the
/// registry-wide registration sequence (so ids sort in registration order under SemVer precedence, which ignores the
/// <c>+</c> part) and whose build metadata is the first 7 characters of the source revision, for humans. Example:
/// <c>1.0.12+3f2a9c1</c>. Without a source revision the id is <c>1.0.12</c>.</summary>
public static partial class VersionIds
{
    public const string Prefix = "1.0";
    private const int RevisionLength = 7;

    public static string Generate(long sequence, string? sourceRevision)
    {
        var revision = new string((sourceRevision ?? "").Where(char.IsAsciiLetterOrDigit).Take(RevisionLength).ToArray()).ToLowerInvariant();
        return revision.Length == 0 ? $"{Prefix}.{sequence}" : $"{Prefix}.{sequence}+{revision}";
    }

    /// <summary>Throws <see cref="ModelRegistryError.InvalidRequest"/> unless <paramref name="versionId"/> can name a
    /// version: it becomes a file name, so only letters, digits and <c>. _ + -</c>, starting with a letter or digit.</summary>
    public static void Validate(string versionId)
    {
        if (!VersionIdPattern().IsMatch(versionId))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"'{versionId}' is not a valid model version id: use 1 to 128 letters, digits and '.', '_', '+', '-', " +
                "starting with a letter or digit (e.g. 1.0.12+3f2a9c1), or leave it empty to generate one.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")]
    private static partial Regex VersionIdPattern();
}
