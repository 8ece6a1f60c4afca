using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Pipeline.Prerequisites.Tests;

/// <summary>
/// A real .tgz shaped like the onnxruntime-node package, with a small stand-in library, and a fake
/// `npm pack` that copies it into the pack destination (the registry is the one thing we do not call).
/// </summary>
public sealed class FakeOnnxRuntimePackage
{
    public FakeOnnxRuntimePackage(string directory, byte[]? library = null, bool includeLibrary = true)
    {
        Library = library ?? Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 % 251)).ToArray();
        TarballPath = Path.Combine(directory, "fake-onnxruntime-node.tgz");
        using (var file = File.Create(TarballPath))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "package/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/package.json")
            {
                DataStream = new MemoryStream("""{"name":"onnxruntime-node","version":"1.30.0"}"""u8.ToArray()),
            });
            // A same-named file elsewhere must not be mistaken for the pinned entry.
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/bin/napi-v6/darwin/arm64/libonnxruntime.so.1")
            {
                DataStream = new MemoryStream([1, 2, 3]),
            });
            if (includeLibrary)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, OnnxRuntimePin.Current.TarballEntry)
                {
                    DataStream = new MemoryStream(Library),
                });
            }
        }

        Pin = OnnxRuntimePin.Current with
        {
            TarballSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(TarballPath))),
            LibrarySha256 = Convert.ToHexStringLower(SHA256.HashData(Library)),
        };
    }

    public byte[] Library { get; }

    public string TarballPath { get; }

    /// <summary>The real pin with this package's hashes: same version, entry and file name.</summary>
    public OnnxRuntimePin Pin { get; }

    public FakeProcessRunner Npm() => new FakeProcessRunner().On("npm", ["pack"], spec =>
    {
        var destination = spec.Arguments[3];
        File.Copy(TarballPath, Path.Combine(destination, "onnxruntime-node-1.30.0.tgz"));
        return FakeProcessRunner.Ok("onnxruntime-node-1.30.0.tgz\n");
    });
}
