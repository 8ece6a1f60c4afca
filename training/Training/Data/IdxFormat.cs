namespace Training.Data;

/// <summary>
/// Constants of the IDX format (LeCun's MNIST files): a big-endian header of a magic number 0x0000TTDD
/// (TT = element type, 0x08 = unsigned byte; DD = number of dimensions), one big-endian int32 per dimension,
/// then the elements in row-major order and nothing else.
/// </summary>
public static class IdxFormat
{
    public const byte UnsignedByteType = 0x08;
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>Whether the content starts with the gzip magic bytes 1f 8b.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> content) => content.Length >= 2 && content[0] == 0x1f && content[1] == 0x8b;
}

/// <summary>Images from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/> bytes.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels, InputFileHash Source)
{
    public int PixelsPerImage => Rows * Columns;
}

/// <summary>Labels from an IDX file, one byte each.</summary>
public sealed record IdxLabels(byte[] Labels, InputFileHash Source)
{
    public int Count => Labels.Length;
}
