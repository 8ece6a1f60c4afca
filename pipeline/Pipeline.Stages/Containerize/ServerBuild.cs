using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Stages;

/// <summary>
/// The fingerprint of everything in a serving image except the model: the published server (every file's relative
/// path and bytes), the ONNX Runtime library, the Dockerfile and the base image's id. Containerize labels images with
/// it, so an image is reused only when neither the model nor any of these changed.
/// </summary>
public static class ServerBuild
{
    public const string Label = "io.mlops.server.build";

    public static async Task<string> ComputeAsync(string publishedAppDirectory, string dockerfile, string baseImageId,
        CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(publishedAppDirectory, "*", SearchOption.AllDirectories)
            .Select(path => (Name: "app/" + Path.GetRelativePath(publishedAppDirectory, path).Replace('\\', '/'), Path: path))
            .Append((Name: "Dockerfile", Path: dockerfile))
            .OrderBy(file => file.Name, StringComparer.Ordinal);
        foreach (var (name, path) in files)
        {
            // Name and length first, so that moving bytes from one file to the next changes the fingerprint.
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\n{new FileInfo(path).Length}\n"));
            hash.AppendData(await FileSha256Async(path, cancellationToken));
        }
        hash.AppendData(Encoding.UTF8.GetBytes($"base\n{baseImageId}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task<byte[]> FileSha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await SHA256.HashDataAsync(stream, cancellationToken);
    }
}
