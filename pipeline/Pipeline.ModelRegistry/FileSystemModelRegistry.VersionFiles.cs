using Pipeline.ModelRegistry.Storage;

namespace Pipeline.ModelRegistry;

/// <summary>Files kept with a version besides its model: written beside their final path and renamed into place.</summary>
public sealed partial class FileSystemModelRegistry
{
    public async Task PutVersionFileAsync(string versionId, string fileName, string sourcePath, CancellationToken cancellationToken = default)
    {
        ValidateFileName(fileName);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        await GetVersionAsync(versionId, cancellationToken);
        var directory = _layout.VersionFileDirectory(versionId);
        await using var source = File.OpenRead(sourcePath);
        await using var temporary = TemporaryFile.Create(directory, fileName, _beforeCommit);
        await source.CopyToAsync(temporary.Stream, cancellationToken);
        await temporary.CommitAsync(Path.Combine(directory, fileName), overwrite: true);
    }

    public async Task<bool> ExportVersionFileAsync(string versionId, string fileName, string destinationPath, CancellationToken cancellationToken = default)
    {
        ValidateFileName(fileName);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        await GetVersionAsync(versionId, cancellationToken);
        var path = Path.Combine(_layout.VersionFileDirectory(versionId), fileName);
        if (!File.Exists(path)) return false;
        var destination = Path.GetFullPath(destinationPath);
        await using var source = File.OpenRead(path);
        await using var temporary = TemporaryFile.Create(Path.GetDirectoryName(destination)!, Path.GetFileName(destination), beforeCommit: null);
        await source.CopyToAsync(temporary.Stream, cancellationToken);
        await temporary.CommitAsync(destination, overwrite: true);
        return true;
    }

    private static void ValidateFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (fileName != Path.GetFileName(fileName) || fileName.StartsWith('.'))
            throw new ArgumentException($"Version file name '{fileName}' must be a plain file name (no directories, no leading dot), such as drift-baseline.json.", nameof(fileName));
    }
}
