using System.Text;

namespace Pipeline.IO;

/// <summary>
/// The serving server's API key file (issue #16): UTF-8, one <c>key-id:secret</c> per line, '#' comments. The server
/// reads it from SERVING_API_KEYS_FILE and reloads it when it changes.
/// </summary>
public static class ServingApiKeyFile
{
    /// <summary>The path the key file is mounted at inside a serving container, and the variable that names it.</summary>
    public const string ContainerPath = "/run/secrets/serving-api-keys";
    public const string EnvironmentVariable = "SERVING_API_KEYS_FILE";

    public static string Format(IEnumerable<ServingApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var text = new StringBuilder("# Serving API keys: <key-id>:<secret>, one a line (written by the pipeline)\n");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!ids.Add(key.KeyId))
                throw new ArgumentException($"API key id '{key.KeyId}' appears twice; the server needs every key id once.", nameof(keys));
            text.Append(key.KeyId).Append(':').Append(key.Secret).Append('\n');
        }
        return ids.Count > 0 ? text.ToString() : throw new ArgumentException("A key file needs at least one key; without any the server would run unauthenticated.", nameof(keys));
    }

    /// <summary>Writes the file temp-then-rename with <paramref name="mode"/> set before the rename, so it is never readable with a wider mode.</summary>
    public static Task WriteAsync(string path, IEnumerable<ServingApiKey> keys, UnixFileMode mode, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, Format(keys), cancellationToken, mode);
}
