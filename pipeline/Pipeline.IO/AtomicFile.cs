using System.Text;

namespace Pipeline.IO;

/// <summary>
/// Writes a file so that readers see either the old complete file or the new complete one: the content goes to a
/// temporary file in the same directory (so the rename stays on one file system), is flushed to disk, and is
/// renamed over the target. A failure or cancellation removes the temporary file and leaves the target as it was.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default,
        UnixFileMode? mode = null)
    {
        var (target, temporary) = Prepare(path);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            Commit(temporary, target, mode);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var (target, temporary) = Prepare(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            Commit(temporary, target, mode);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default,
        UnixFileMode? mode = null) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken, mode);

    /// <summary>UTF-8 without a byte-order mark. <paramref name="mode"/> (e.g. owner-only for secrets) is set before the rename.</summary>
    public static Task WriteAllTextAsync(string path, string content, CancellationToken cancellationToken = default, UnixFileMode? mode = null) =>
        WriteAllBytesAsync(path, Utf8.GetBytes(content), cancellationToken, mode);

    public static async Task CopyAsync(string source, string destination, CancellationToken cancellationToken = default)
    {
        await using var input = File.OpenRead(source);
        await WriteAsync(destination, (stream, ct) => input.CopyToAsync(stream, ct), cancellationToken);
    }

    private static (string Target, string Temporary) Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        if (Directory.Exists(target))
            throw new IOException($"Cannot write '{target}': it is a directory.");
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        return (target, Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp"));
    }

    private static void Commit(string temporary, string target, UnixFileMode? mode)
    {
        if (mode is { } unixMode && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, unixMode);
        File.Move(temporary, target, overwrite: true);
    }
}
