using System.Buffers.Binary;
using System.IO.Compression;

namespace Pipeline.Prerequisites;

/// <summary>
/// One expected IDX file: its base name, magic number (0x0801 labels, 0x0803 images) and dimension sizes.
/// Checking the header catches a wrong or damaged file at Setup instead of halfway through training.
/// </summary>
public sealed record IdxFileSpec(string BaseName, int Magic, IReadOnlyList<int> Dimensions)
{
    public int HeaderLength => 4 + 4 * Dimensions.Count;

    public long DataLength => Dimensions.Aggregate(1L, (product, size) => product * size);

    /// <summary>The file as present in <paramref name="directory"/>: gzipped preferred, else raw; null when neither exists.</summary>
    public string? Find(string directory)
    {
        var gzipped = Path.Combine(directory, BaseName + ".gz");
        var raw = Path.Combine(directory, BaseName);
        return File.Exists(gzipped) ? gzipped : File.Exists(raw) ? raw : null;
    }

    /// <summary>
    /// Null when the header matches; otherwise what is wrong. Raw files are also checked for their exact
    /// length (free); gzipped ones only by header, to keep Setup fast.
    /// </summary>
    public string? Check(string path)
    {
        try
        {
            var header = new byte[HeaderLength];
            using (var file = File.OpenRead(path))
            using (var stream = path.EndsWith(".gz", StringComparison.Ordinal)
                       ? new GZipStream(file, CompressionMode.Decompress)
                       : (Stream)file)
            {
                stream.ReadExactly(header);
            }

            var magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != Magic)
            {
                return $"magic number 0x{magic:x8}, expected 0x{Magic:x8}";
            }

            var sizes = Enumerable.Range(0, Dimensions.Count)
                .Select(i => BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * i)))
                .ToList();
            if (!sizes.SequenceEqual(Dimensions))
            {
                return $"dimensions {string.Join('x', sizes)}, expected {string.Join('x', Dimensions)}";
            }

            var length = new FileInfo(path).Length;
            if (!path.EndsWith(".gz", StringComparison.Ordinal) && length != HeaderLength + DataLength)
            {
                return $"{length} bytes, expected {HeaderLength + DataLength}";
            }

            return null;
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException)
        {
            return $"unreadable header ({ex.Message})";
        }
    }
}
