using System.Security.Cryptography;
using System.Text;

namespace Serving.Server.Security;

/// <summary>
/// The keys the server accepts: those of SERVING_API_KEYS (fixed) and those of the key file (replaced on reload).
/// Only SHA-256 hashes are kept; a presented secret is compared with every key in constant time.
/// </summary>
internal sealed class ApiKeyStore
{
    private readonly IReadOnlyList<ApiKey> _environmentKeys;
    // Replaced whole on reload; readers take one snapshot, so a request never sees half of an update.
    private volatile ApiKey[] _keys;

    /// <exception cref="ArgumentException">A key id appears in both sources.</exception>
    public ApiKeyStore(IReadOnlyList<ApiKey> environmentKeys, IReadOnlyList<ApiKey> fileKeys)
    {
        _environmentKeys = environmentKeys;
        var errors = new List<string>();
        _keys = Combine(fileKeys, errors);
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors));
    }

    public IReadOnlyList<string> KeyIds => _keys.Select(k => k.Id).ToArray();

    /// <returns>The id of the key whose secret was presented, or null.</returns>
    public string? Authenticate(string presentedSecret)
    {
        var byteCount = Encoding.UTF8.GetByteCount(presentedSecret);
        Span<byte> utf8 = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(presentedSecret, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);

        string? match = null;
        // Every key is compared, matched or not: the time taken says nothing about which key is close or where it is.
        foreach (var key in _keys)
        {
            var equal = CryptographicOperations.FixedTimeEquals(hash, key.SecretSha256);
            match = equal ? key.Id : match;
        }

        return match;
    }

    /// <summary>Swaps in the key file's new keys, unless one reuses an id of SERVING_API_KEYS.</summary>
    /// <returns>The problems that kept the previous keys; empty when the new ones are in use.</returns>
    public IReadOnlyList<string> ReplaceFileKeys(IReadOnlyList<ApiKey> fileKeys)
    {
        var errors = new List<string>();
        var combined = Combine(fileKeys, errors);
        if (errors.Count == 0) _keys = combined;
        return errors;
    }

    private ApiKey[] Combine(IReadOnlyList<ApiKey> fileKeys, List<string> errors)
    {
        var environmentIds = _environmentKeys.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var key in fileKeys.Where(k => environmentIds.Contains(k.Id)))
            errors.Add($"key id '{key.Id}' is in both SERVING_API_KEYS and the key file; key ids must be unique.");
        return [.. _environmentKeys, .. fileKeys];
    }
}
