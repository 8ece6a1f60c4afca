using System.Buffers.Binary;
using System.IO.Compression;

namespace Pipeline.Prerequisites.Tests;

/// <summary>Writes IDX files with real headers: gzipped header-only ones (cheap) or full-length raw ones.</summary>
public static class IdxFiles
{
    public static byte[] Header(IdxFileSpec spec, int? magic = null)
    {
        var header = new byte[spec.HeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header, magic ?? spec.Magic);
        for (var i = 0; i < spec.Dimensions.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), spec.Dimensions[i]);
        }

        return header;
    }

    public static void WriteGzipped(string directory, IdxFileSpec spec, int? magic = null)
    {
        using var file = File.Create(Path.Combine(directory, spec.BaseName + ".gz"));
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Header(spec, magic));
    }

    public static void WriteRaw(string directory, IdxFileSpec spec, long? length = null)
    {
        using var file = File.Create(Path.Combine(directory, spec.BaseName));
        file.Write(Header(spec));
        file.SetLength(length ?? spec.HeaderLength + spec.DataLength);
    }

    public static void WriteAllGzipped(string directory)
    {
        foreach (var spec in FashionMnistInstaller.Files)
        {
            WriteGzipped(directory, spec);
        }
    }
}
