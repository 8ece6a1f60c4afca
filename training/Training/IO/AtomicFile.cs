namespace Training.IO;

/// <summary>Writes a file so readers see either the old content or the complete new one, never a partial file.</summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into a temporary file beside <paramref name="path"/>,
    /// flushes it to disk, then renames it over <paramref name="path"/>. On failure the temporary file is removed.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static Task WriteAllTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
        WriteAllBytesAsync(path, System.Text.Encoding.UTF8.GetBytes(content), cancellationToken);

    public static async Task CopyAsync(string source, string destination, CancellationToken cancellationToken = default)
    {
        await using var input = File.OpenRead(source);
        await WriteAsync(destination, (stream, ct) => input.CopyToAsync(stream, ct), cancellationToken);
    }

    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken);
}
