using System.Buffers.Binary;
using System.IO.Compression;

namespace Training.Data;

/// <summary>
/// Reads IDX image and label files, gzipped or not (detected by the 1f 8b magic, not by the file name).
/// Everything about the file is validated: magic, element type, dimension count, sizes, and that the payload holds
/// exactly the product of the dimensions (a truncated download and trailing junk are both errors).
/// </summary>
public static class IdxReader
{
    public static async Task<IdxImages> ReadImagesAsync(string path, CancellationToken cancellationToken = default)
    {
        var content = await ReadFileAsync(path, cancellationToken);
        return ParseImages(path, content);
    }

    public static async Task<IdxLabels> ReadLabelsAsync(string path, CancellationToken cancellationToken = default)
    {
        var content = await ReadFileAsync(path, cancellationToken);
        return ParseLabels(path, content);
    }

    /// <summary>Parses the bytes of an image file; <paramref name="path"/> names it in errors and lineage.</summary>
    public static IdxImages ParseImages(string path, byte[] content)
    {
        var source = InputFileHash.Of(path, content);
        using var stream = Open(content);
        var dims = ReadHeader(stream, path, IdxFormat.ImagesMagic, "image", 3);
        var (count, rows, columns) = (dims[0], dims[1], dims[2]);
        if (rows == 0 || columns == 0)
            throw new DataSetFormatException($"{Name(path)}: images are {rows}x{columns} pixels; both sizes must be positive.");
        var perImage = (long)rows * columns;
        var pixels = ReadPayload(stream, path, count * perImage, $"{count} images of {rows}x{columns} = {count * perImage} bytes of payload");
        return new IdxImages(count, rows, columns, pixels, source);
    }

    /// <summary>Parses the bytes of a label file; <paramref name="path"/> names it in errors and lineage.</summary>
    public static IdxLabels ParseLabels(string path, byte[] content)
    {
        var source = InputFileHash.Of(path, content);
        using var stream = Open(content);
        var count = ReadHeader(stream, path, IdxFormat.LabelsMagic, "label", 1)[0];
        var labels = ReadPayload(stream, path, count, $"{count} labels");
        return new IdxLabels(labels, source);
    }

    private static async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    private static Stream Open(byte[] content) =>
        IdxFormat.IsGzip(content)
            ? new GZipStream(new MemoryStream(content, writable: false), CompressionMode.Decompress)
            : new MemoryStream(content, writable: false);

    private static int[] ReadHeader(Stream stream, string path, int expectedMagic, string kind, int expectedDims)
    {
        Span<byte> word = stackalloc byte[4];
        if (ReadUpTo(stream, path, word) < 4)
            throw new DataSetFormatException($"{Name(path)}: the file ends inside the 4-byte IDX magic number (empty or truncated file?).");
        var magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            var hint = (magic & ~0xFF) == (IdxFormat.UnsignedByteType << 8)
                ? $" It declares {magic & 0xFF} dimension(s); {kind} files have {expectedDims}."
                : " It is not an unsigned-byte IDX file.";
            throw new DataSetFormatException(
                $"{Name(path)}: bad magic number 0x{magic:X8}; an IDX {kind} file starts with 0x{expectedMagic:X8} (unsigned bytes, {expectedDims} dimension(s)).{hint}");
        }
        var dims = new int[expectedDims];
        for (var i = 0; i < expectedDims; i++)
        {
            if (ReadUpTo(stream, path, word) < 4)
                throw new DataSetFormatException($"{Name(path)}: the file ends inside the header, at dimension {i + 1} of {expectedDims} (truncated?).");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[i] < 0)
                throw new DataSetFormatException($"{Name(path)}: dimension {i + 1} is {dims[i]}; sizes must not be negative.");
        }
        return dims;
    }

    private static byte[] ReadPayload(Stream stream, string path, long expectedBytes, string expectation)
    {
        if (expectedBytes > Array.MaxLength)
            throw new DataSetFormatException($"{Name(path)}: the header declares {expectation}, more than one array can hold.");
        var payload = GC.AllocateUninitializedArray<byte>((int)expectedBytes);
        var read = ReadUpTo(stream, path, payload);
        if (read < expectedBytes)
            throw new DataSetFormatException($"{Name(path)}: expected {expectation}, file holds {read} bytes of payload (truncated?).");
        var trailing = CountRemaining(stream, path);
        if (trailing > 0)
            throw new DataSetFormatException($"{Name(path)}: expected {expectation}, but {trailing} more byte(s) follow them (trailing data; wrong header or concatenated files?).");
        return payload;
    }

    private static int ReadUpTo(Stream stream, string path, Span<byte> buffer)
    {
        try { return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false); }
        catch (InvalidDataException e) { throw CorruptGzip(path, e); }
    }

    private static long CountRemaining(Stream stream, string path)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int read;
        while ((read = ReadUpTo(stream, path, scratch)) > 0) total += read;
        return total;
    }

    private static DataSetFormatException CorruptGzip(string path, InvalidDataException e) =>
        new($"{Name(path)}: corrupt gzip data ({e.Message}); re-download or reinstall the file.", e);

    private static string Name(string path) => Path.GetFileName(path);
}
