namespace Pipeline.Stages;

/// <summary>Docker tags from model versions and revisions: tags allow [A-Za-z0-9_.-], at most 128 characters.</summary>
public static class ImageTags
{
    /// <summary>How many hexadecimal digits of the model's SHA-256 a tag carries (48 bits: collisions need ~16 million models).</summary>
    public const int Sha256PrefixLength = 12;

    /// <summary>
    /// The tag of the image serving one model: "1.0.4-ef8780e-3f2a9c1b0d4e". A version is unique within one model
    /// registry only (two registries issued the same version for different models, and one push overwrote the
    /// other's tag in the shared image registry); the SHA-256 prefix makes the tag name the model's bytes.
    /// </summary>
    public static string ForModel(string version, string sha256) => Sanitize(version, 127 - Sha256PrefixLength) + "-" + Sha256Prefix(sha256);

    /// <summary>The tag before model SHA-256s were part of it: the version alone. Read only, to find images built then.</summary>
    public static string FromVersion(string version) => Sanitize(version, 128);

    /// <summary>The source revision's tag, also with the model's SHA-256 prefix: two runners at one revision train different models.</summary>
    public static string FromRevision(string revision, string sha256) =>
        "rev-" + Sanitize(revision.Length > 12 ? revision[..12] : revision, 128) + "-" + Sha256Prefix(sha256);

    private static string Sha256Prefix(string sha256)
    {
        if (sha256.Length < Sha256PrefixLength || !sha256[..Sha256PrefixLength].All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{sha256}' is not a lower-case hexadecimal SHA-256; image tags carry its first {Sha256PrefixLength} digits.", nameof(sha256));
        return sha256[..Sha256PrefixLength];
    }

    private static string Sanitize(string text, int maxLength)
    {
        var tag = new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-').ToArray()).TrimStart('.', '-');
        return tag.Length == 0 ? "unknown" : tag[..Math.Min(maxLength, tag.Length)];
    }
}
