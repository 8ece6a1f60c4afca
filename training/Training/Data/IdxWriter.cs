using System.Buffers.Binary;
using System.IO.Compression;

using Pipeline.IO;

namespace Training.Data;

/// <summary>Writes IDX image and label files (gzipped when the name ends in .gz), atomically via a temporary file.</summary>
public static class IdxWriter
{
    public static Task WriteImagesAsync(string path, int count, int rows, int columns, ReadOnlyMemory<byte> pixels, CancellationToken cancellationToken = default)
    {
        if ((long)count * rows * columns != pixels.Length)
            throw new ArgumentException($"{count} images of {rows}x{columns} need {(long)count * rows * columns} pixels, got {pixels.Length}.", nameof(pixels));
        return WriteAsync(path, IdxFormat.ImagesMagic, [count, rows, columns], pixels, cancellationToken);
    }

    public static Task WriteLabelsAsync(string path, ReadOnlyMemory<byte> labels, CancellationToken cancellationToken = default) =>
        WriteAsync(path, IdxFormat.LabelsMagic, [labels.Length], labels, cancellationToken);

    private static async Task WriteAsync(string path, int magic, int[] dims, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dims[i]);

        await AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                await using var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
                await gzip.WriteAsync(header, ct);
                await gzip.WriteAsync(payload, ct);
            }
            else
            {
                await stream.WriteAsync(header, ct);
                await stream.WriteAsync(payload, ct);
            }
        }, cancellationToken);
    }
}
