using System.Text;

namespace Pipeline.Gates;

/// <summary>Writes a text file so readers see the old complete file or the new complete file, never a partial one.</summary>
internal static class AtomicTextFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        if (Directory.Exists(target))
            throw new IOException($"Cannot write '{target}': it is a directory.");
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        // Same directory as the target, so the rename stays on one file system and is atomic.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(Utf8.GetBytes(text), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
