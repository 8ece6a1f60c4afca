using System.Security.Cryptography;

namespace Training.Data;

/// <summary>One input file of a data set as it was read: where, how big, and its SHA-256 (lowercase hex).</summary>
public sealed record InputFileHash(string Path, long Bytes, string Sha256)
{
    public static InputFileHash Of(string path, ReadOnlySpan<byte> content) =>
        new(System.IO.Path.GetFullPath(path), content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
}
