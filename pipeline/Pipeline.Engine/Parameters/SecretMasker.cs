namespace Pipeline.Engine;

/// <summary>Replaces every occurrence of a secret value in text that the engine prints or stores.</summary>
internal sealed class SecretMasker
{
    public const string Mask = "*****";

    // Longest first, so a secret containing another secret is replaced whole.
    private readonly string[] _secrets;

    public SecretMasker(IEnumerable<string?> secrets)
    {
        _secrets = secrets
            .Where(secret => !string.IsNullOrWhiteSpace(secret))
            .Select(secret => secret!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(secret => secret.Length)
            .ToArray();
    }

    public static SecretMasker None { get; } = new([]);

    public IReadOnlyList<string> Secrets => _secrets;

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
