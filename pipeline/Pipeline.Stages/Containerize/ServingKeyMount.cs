using Pipeline.IO;

namespace Pipeline.Stages;

/// <summary>
/// The API key a local serving container is started with: a key file (issue #16 format) on the host that the
/// container mounts read-only at <see cref="ServingApiKeyFile.ContainerPath"/>, and the key the pipeline's clients send.
/// </summary>
public sealed record ServingKeyMount(ServingApiKey Key, string HostFile)
{
    // 0444 inside an owner-only (0700) directory: the container's user 10001 must read the bind-mounted file, and a
    // bind mount keeps the host's owner and mode, so the file itself cannot be 0600 root. Changing its group to 10001
    // (0440) would need chown, i.e. root or CAP_CHOWN, which a developer running the pipeline may not have; the 0700
    // directory keeps other host users from reaching the file, and inside the container only the file is visible.
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The environment a container gets: the path of the key file, never the key itself.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        [ServingApiKeyFile.EnvironmentVariable] = ServingApiKeyFile.ContainerPath,
    };

    public IReadOnlyDictionary<string, string> BindMounts => new Dictionary<string, string> { [HostFile] = ServingApiKeyFile.ContainerPath };

    /// <summary>
    /// Writes <c>&lt;directory&gt;/&lt;name&gt;.api-keys</c> holding <paramref name="key"/> (temp then rename) unless it
    /// already holds exactly that: running containers keep the inode they mounted, so an unchanged file is left alone.
    /// </summary>
    public static async Task<ServingKeyMount> WriteAsync(string directory, string name, ServingApiKey key, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory, DirectoryMode);
        // An existing directory keeps its mode on CreateDirectory: narrow it in case it was made wider.
        File.SetUnixFileMode(directory, DirectoryMode);
        var file = Path.Combine(directory, $"{name}.api-keys");
        var content = ServingApiKeyFile.Format([key]);
        if (!File.Exists(file) || await File.ReadAllTextAsync(file, cancellationToken) != content || File.GetUnixFileMode(file) != FileMode)
            await AtomicFile.WriteAllTextAsync(file, content, cancellationToken, FileMode);
        return new ServingKeyMount(key, file);
    }

    public override string ToString() => $"{Key} mounted from {HostFile}";
}
