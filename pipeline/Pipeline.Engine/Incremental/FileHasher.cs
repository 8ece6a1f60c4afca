using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Engine;

/// <summary>SHA-256 of files and text, as lowercase hex.</summary>
internal static class FileHasher
{
    public static async Task<string> HashFileAsync(AbsolutePath file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Source files are small: one synchronous read beats an asynchronous stream per file.</summary>
    public static string HashSmallFile(AbsolutePath file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    public static string HashText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Files keyed by path relative to the root (forward slashes), or absolute when outside it.</summary>
    public static string Key(AbsolutePath file, AbsolutePath root) => file.IsUnder(root) ? file.RelativeTo(root) : file.ToString();
}
