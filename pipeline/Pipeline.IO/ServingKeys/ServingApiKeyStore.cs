using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Pipeline.IO;

/// <summary>
/// The serving API key of each environment: the one given (the secret parameter --serving-api-key) wins; otherwise
/// one is generated on first use and kept in <c>&lt;directory&gt;/&lt;environment&gt;.key</c>, readable by its owner
/// only, so every later run (and every container it starts) agrees on it.
/// </summary>
public sealed partial class ServingApiKeyStore(string directory)
{
    public const string KeyIdPrefix = "pipeline-";
    public const int GeneratedBytes = 32;
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Directory { get; } = directory;

    public string KeyFile(string environment) => Path.Combine(Directory, $"{RequireEnvironmentName(environment)}.key");

    public static string KeyIdFor(string environment) => KeyIdPrefix + RequireEnvironmentName(environment);

    public async Task<ServingApiKey> LoadOrCreateAsync(string environment, string? provided, CancellationToken cancellationToken)
    {
        var keyId = KeyIdFor(environment);
        if (!string.IsNullOrEmpty(provided))
            return new ServingApiKey(keyId, provided.Trim());

        var file = KeyFile(environment);
        if (File.Exists(file))
        {
            var kept = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
            try
            {
                return new ServingApiKey(keyId, kept);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{file} does not hold a usable API key ({e.Message}). Delete it to have a new one generated, " +
                                               "then redeploy so the servers get the new key.", e);
            }
        }

        // base64url: no '+', '/' or '=' to escape in headers, URLs or YAML.
        var generated = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(GeneratedBytes));
        // Owner-only directory too: the key files' names say which environments have keys.
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
        else System.IO.Directory.CreateDirectory(Directory, OwnerOnly | UnixFileMode.UserExecute);
        await AtomicFile.WriteAllTextAsync(file, generated + "\n", cancellationToken, OwnerOnly);
        return new ServingApiKey(keyId, generated);
    }

    private static string RequireEnvironmentName(string environment) =>
        environment is not null && EnvironmentName().IsMatch(environment)
            ? environment
            : throw new ArgumentException($"Environment '{environment}' cannot name an API key: use 1-55 letters, digits, '_', '.' or '-' (e.g. local, kubernetes).", nameof(environment));

    // 64 (the key id limit) minus "pipeline-".
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,55}$")]
    private static partial Regex EnvironmentName();
}
