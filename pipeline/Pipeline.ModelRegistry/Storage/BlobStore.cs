using System.Security.Cryptography;

namespace Pipeline.ModelRegistry.Storage;

/// <summary>ONNX files stored by their SHA-256 at <c>blobs/sha256/&lt;hex&gt;</c>. Writes need no lock: a blob's name
/// is its content, so writers racing on the same blob write the same bytes and the first rename wins.</summary>
internal sealed class BlobStore(RegistryLayout layout, Action<string>? beforeCommit)
{
    public async Task<(string Sha256, long SizeBytes)> PutAsync(string sourcePath, CancellationToken cancellationToken)
    {
        await using var temporary = TemporaryFile.Create(layout.BlobDirectory, "incoming", beforeCommit);
        string sha256;
        await using (var source = OpenSource(sourcePath))
        {
            sha256 = await CopyHashingAsync(source, temporary.Stream, cancellationToken);
        }
        var size = temporary.Stream.Length;
        if (size == 0)
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"The ONNX file to register is empty: '{Path.GetFullPath(sourcePath)}'. Export the model again.");
        }
        var target = layout.BlobPath(sha256);
        if (!await temporary.TryCommitNewAsync(target) && await HashFileAsync(target, cancellationToken) != sha256)
        {
            // The stored copy was altered or damaged; this write has the registered content, so it repairs it.
            await temporary.CommitAsync(target, overwrite: true);
        }
        return (sha256, size);
    }

    /// <summary>Opens a version's blob for reading, verifying its hash and size as it is read.</summary>
    public Stream OpenVerifying(ModelVersion version)
    {
        var path = layout.BlobPath(version.Sha256);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (FileNotFoundException missing)
        {
            throw new ModelRegistryException(ModelRegistryError.BlobMissing,
                $"The ONNX file of version {version.VersionId} is missing from the registry: '{path}' does not exist. " +
                "Restore the registry directory from a backup, or register the model again under a new version.", missing);
        }
        return new HashVerifyingStream(file, version.Sha256, version.SizeBytes, (actual, size) => new ModelRegistryException(
            ModelRegistryError.BlobCorrupted,
            $"The ONNX file of version {version.VersionId} was altered: '{path}' has SHA-256 {actual} ({size} bytes) but " +
            $"the version records {version.Sha256} ({version.SizeBytes} bytes). Do not deploy it; re-register the model " +
            "from its source (registering the original file again restores the blob)."));
    }

    public async Task ExportAsync(ModelVersion version, string destinationPath, CancellationToken cancellationToken)
    {
        var destination = Path.GetFullPath(destinationPath);
        await using var temporary = TemporaryFile.Create(Path.GetDirectoryName(destination)!, Path.GetFileName(destination), beforeCommit);
        await using (var blob = OpenVerifying(version))
        {
            // The copy reads to the end, so a mismatch throws here and the temp file is deleted, not committed.
            await blob.CopyToAsync(temporary.Stream, cancellationToken);
        }
        await temporary.CommitAsync(destination, overwrite: true);
    }

    private static FileStream OpenSource(string sourcePath)
    {
        try
        {
            return new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"The ONNX file to register does not exist: '{Path.GetFullPath(sourcePath)}'. Export the model first, " +
                "or pass the path of the exported .onnx file.", e);
        }
    }

    private static async Task<string> CopyHashingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
