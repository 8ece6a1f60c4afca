namespace Pipeline.ModelRegistry.Storage;

/// <summary>Where everything lives under the registry root:
/// <c>blobs/sha256/&lt;hex&gt;</c>, <c>versions/&lt;id&gt;.json</c>, <c>version-files/&lt;id&gt;/&lt;name&gt;</c>, <c>environments/&lt;name&gt;.json</c>, <c>registry.lock</c>.</summary>
internal sealed class RegistryLayout(string rootDirectory)
{
    public string Root { get; } = Path.GetFullPath(rootDirectory);

    public string LockPath => Path.Combine(Root, "registry.lock");

    public string BlobDirectory => Path.Combine(Root, "blobs", "sha256");

    public string VersionDirectory => Path.Combine(Root, "versions");

    public string EnvironmentDirectory => Path.Combine(Root, "environments");

    /// <summary>Files kept with a version besides its ONNX model, such as its drift baseline: <c>version-files/&lt;id&gt;/&lt;name&gt;</c>.</summary>
    public string VersionFileDirectory(string versionId) => Path.Combine(Root, "version-files", versionId);

    public string BlobPath(string sha256) => Path.Combine(BlobDirectory, sha256);

    public string VersionPath(string versionId) => Path.Combine(VersionDirectory, versionId + RecordExtension);

    public string EnvironmentPath(string environment) => Path.Combine(EnvironmentDirectory, environment + RecordExtension);

    public const string RecordExtension = ".json";

    /// <summary>The record files in a directory, never temp files; an absent directory has none.</summary>
    public static IEnumerable<string> RecordFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*" + RecordExtension).Where(path => !TemporaryFile.IsTemporary(path))
            : [];
}
