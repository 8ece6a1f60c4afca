using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Serving.Server.Security;

/// <summary>
/// The API key format: UTF-8 lines <c>&lt;key-id&gt;:&lt;secret&gt;</c>, blank lines and lines starting with '#' ignored.
/// Problems name the line number and never the line's text: a malformed line may be a secret.
/// </summary>
internal static partial class ApiKeyFile
{
    public const int MinimumSecretLength = 16;

    /// <summary>Parses the text; <see cref="ApiKeyParseResult.Errors"/> lists every problem, each starting "line N: ".</summary>
    public static ApiKeyParseResult Parse(string text)
    {
        var keys = new List<ApiKey>();
        var errors = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var number = index + 1;
            // Files written on Windows end lines with \r\n; the \r belongs to neither the id nor the secret.
            var line = lines[index].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#')) continue;

            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                errors.Add($"line {number}: expected <key-id>:<secret> but there is no ':'.");
                continue;
            }

            var id = line[..colon];
            var secret = line[(colon + 1)..];
            if (!KeyId().IsMatch(id))
            {
                errors.Add($"line {number}: the key id must be 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-'.");
                continue;
            }

            if (secret.Any(char.IsWhiteSpace))
                errors.Add($"line {number} (key '{id}'): the secret contains whitespace; remove it (a trailing space?).");
            else if (secret.Length < MinimumSecretLength)
                errors.Add($"line {number} (key '{id}'): the secret is {secret.Length} characters long; use at least {MinimumSecretLength} (e.g. 32 random bytes in base64url).");
            else if (ids.TryGetValue(id, out var first))
                errors.Add($"line {number}: key id '{id}' is already used on line {first}; key ids must be unique.");
            else
            {
                ids[id] = number;
                keys.Add(new ApiKey(id, SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
            }
        }

        if (errors.Count == 0 && keys.Count == 0)
            errors.Add("there are no keys: every request would be refused. Add lines <key-id>:<secret>, or unset the setting to turn authentication off.");
        return new ApiKeyParseResult(keys, errors);
    }

    /// <summary>Reads and parses a key file; the content's SHA-256 tells a later read whether anything changed.</summary>
    /// <exception cref="IOException">The file cannot be read (also <see cref="UnauthorizedAccessException"/>).</exception>
    public static async Task<ApiKeyFileContent> ReadAsync(string path, CancellationToken cancellationToken)
    {
        // Opening the path resolves symbolic links afresh on every read, so a Kubernetes Secret update (a swapped
        // ..data symlink) is seen as new content.
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return new ApiKeyFileContent(SHA256.HashData(bytes), Decode(bytes));
    }

    /// <inheritdoc cref="ReadAsync"/>
    public static ApiKeyFileContent Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return new ApiKeyFileContent(SHA256.HashData(bytes), Decode(bytes));
    }

    private static ApiKeyParseResult Decode(byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return new ApiKeyParseResult([], ["the file is not UTF-8 text; write it as UTF-8 lines <key-id>:<secret>."]);
        }

        return Parse(text.TrimStart('\uFEFF'));
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyId();
}

/// <summary>The keys of a key file or variable, or the problems that make it unusable.</summary>
internal sealed record ApiKeyParseResult(IReadOnlyList<ApiKey> Keys, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>A key file as read: the SHA-256 of its bytes and what they parse to.</summary>
internal sealed record ApiKeyFileContent(byte[] Sha256, ApiKeyParseResult Result);
