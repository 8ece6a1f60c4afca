using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Pipeline.Prerequisites;

/// <summary>Copies one regular file out of a .tgz with the .NET tar reader (no `tar` program needed).</summary>
public static class TarballEntryExtractor
{
    /// <summary>
    /// Writes the entry named <paramref name="entryName"/> to <paramref name="destinationPath"/>, which
    /// must not exist yet, flushed to disk. Returns the SHA-256 of what was written, or null when the
    /// tarball has no such regular file (nothing is written then).
    /// </summary>
    public static async Task<string?> ExtractAsync(
        string tarballPath, string entryName, string destinationPath, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(
            tarballPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || Normalize(entry.Name) != Normalize(entryName)
                || entry.DataStream is null)
            {
                continue;
            }

            return await CopyHashedAsync(entry.DataStream, destinationPath, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task<string> CopyHashedAsync(Stream source, string destinationPath, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
        };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var destination = new FileStream(destinationPath, options);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        // Durable before the caller renames it into place, so a crash never leaves a short library behind.
        destination.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Normalize(string name) => name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
}
