using System.Formats.Tar;

namespace Pipeline.Docker;

/// <summary>
/// Writes a directory as a build context tar: entries in ordinal order, with each file's type, mode, owner and
/// time as the runtime's tar writer reads them (symbolic links stay links, pipes and devices stay what they are,
/// never opened), and what .dockerignore excludes left out, except the Dockerfile and .dockerignore themselves,
/// which the engine needs.
/// </summary>
internal static class BuildContextTar
{
    public static async Task WriteAsync(string directory, string dockerfile, Stream destination, CancellationToken cancellationToken)
    {
        var ignore = await DockerIgnore.LoadAsync(directory, cancellationToken).ConfigureAwait(false);
        var alwaysSent = new HashSet<string>(StringComparer.Ordinal)
        {
            Relative(directory, Path.Combine(directory, dockerfile)),
            DockerIgnore.FileName,
        };
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await WriteDirectoryAsync(writer, directory, directory, ignore, alwaysSent, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteDirectoryAsync(
        TarWriter writer, string root, string directory, DockerIgnore ignore, HashSet<string> alwaysSent, CancellationToken cancellationToken)
    {
        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(entry => entry.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Relative(root, entry.FullName);
            var excluded = ignore.IsExcluded(name) && !alwaysSent.Contains(name);
            if (!excluded)
            {
                await WriteEntryAsync(writer, entry.FullName, name, cancellationToken).ConfigureAwait(false);
            }

            // A link to a directory is written as a link, never followed. An excluded directory is walked only
            // when a "!" line might bring back something inside it, or the Dockerfile is in it.
            var isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
            var holdsSomethingSent = excluded && (ignore.HasExceptions || alwaysSent.Any(path => path.StartsWith(name + "/", StringComparison.Ordinal)));
            if (isDirectory && (!excluded || holdsSomethingSent))
            {
                await WriteDirectoryAsync(writer, root, entry.FullName, ignore, alwaysSent, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteEntryAsync(TarWriter writer, string path, string name, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteEntryAsync(path, name, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (File.Exists(path) || Directory.Exists(path))
        {
            // Sockets cannot go into a tar; anything unreadable is better named than half-sent.
            throw new IOException(
                $"Cannot add {path} to the build context ({ex.Message}): exclude it in {DockerIgnore.FileName} or remove it", ex);
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
