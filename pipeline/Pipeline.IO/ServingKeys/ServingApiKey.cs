using System.Text.RegularExpressions;

namespace Pipeline.IO;

/// <summary>One API key of the serving server: the key id it is counted under and the secret clients present.</summary>
public sealed partial class ServingApiKey
{
    /// <summary>The server refuses shorter secrets (issue #16's key file format).</summary>
    public const int MinimumSecretLength = 16;

    public ServingApiKey(string keyId, string secret)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(secret);
        if (!KeyIdPattern().IsMatch(keyId))
            throw new ArgumentException($"API key id '{keyId}' is not usable: use 1-64 letters, digits, '_', '.' or '-'.", nameof(keyId));
        // The message never quotes the secret: it may be the real one with a typo.
        if (secret.Length < MinimumSecretLength || secret.Any(char.IsWhiteSpace))
            throw new ArgumentException(
                $"The API key for '{keyId}' is {secret.Length} characters long or contains whitespace; the server needs at least {MinimumSecretLength} characters without whitespace " +
                "(leave --serving-api-key unset to have one generated).", nameof(secret));
        KeyId = keyId;
        Secret = secret;
    }

    public string KeyId { get; }

    /// <summary>The secret itself: for request headers and key files only, never for logs or command lines.</summary>
    public string Secret { get; }

    /// <summary>The value of an <c>Authorization</c> header that presents this key.</summary>
    public string BearerToken => $"Bearer {Secret}";

    /// <summary>The key id only: a key that ends up in a log or an exception message does not leak its secret.</summary>
    public override string ToString() => $"{KeyId}:*****";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyIdPattern();
}
