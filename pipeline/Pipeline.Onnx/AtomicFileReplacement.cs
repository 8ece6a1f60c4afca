namespace Pipeline.Onnx;

/// <summary>
/// A temporary file next to the target that <see cref="Commit"/> renames over it; disposing without
/// committing deletes the temporary file, so a failed or cancelled write leaves the target untouched.
/// </summary>
internal sealed class AtomicFileReplacement : IDisposable
{
    private readonly string _targetPath;
    private bool _committed;

    public AtomicFileReplacement(string targetPath)
    {
        _targetPath = Path.GetFullPath(targetPath);
        var directory = Path.GetDirectoryName(_targetPath)!;
        Directory.CreateDirectory(directory);
        // Same directory as the target, so the rename stays on one file system and is atomic.
        TemporaryPath = Path.Combine(directory, $".{Path.GetFileName(_targetPath)}.{Guid.NewGuid():N}.tmp");
    }

    public string TemporaryPath { get; }

    public void Commit()
    {
        File.Move(TemporaryPath, _targetPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed) File.Delete(TemporaryPath);
    }
}
