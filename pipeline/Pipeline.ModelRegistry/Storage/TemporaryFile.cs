namespace Pipeline.ModelRegistry.Storage;

/// <summary>A file written beside its final path and renamed into place once complete and flushed to disk, so a
/// crash leaves either the old file or the new one, never part of one. Disposing without committing deletes it.</summary>
internal sealed class TemporaryFile : IAsyncDisposable
{
    private const string Suffix = ".tmp";
    private readonly FileStream _stream;
    private readonly Action<string>? _beforeCommit;
    private bool _closed;
    private bool _committed;

    private TemporaryFile(string path, Action<string>? beforeCommit)
    {
        Path = path;
        _beforeCommit = beforeCommit;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
    }

    public string Path { get; }

    public Stream Stream => _stream;

    /// <summary>Creates the temp file in <paramref name="directory"/> (the final file's directory, so the rename never
    /// crosses file systems). <paramref name="beforeCommit"/> runs after the content is durable and before the rename;
    /// tests use it to fail at the worst moment.</summary>
    public static TemporaryFile Create(string directory, string finalName, Action<string>? beforeCommit)
    {
        Directory.CreateDirectory(directory);
        // Leading dot and .tmp suffix: never matched by record enumeration (*.json) or taken for a blob name.
        var path = System.IO.Path.Combine(directory, $".{finalName}.{Guid.NewGuid():N}{Suffix}");
        return new TemporaryFile(path, beforeCommit);
    }

    public static bool IsTemporary(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        return name.StartsWith('.') && name.EndsWith(Suffix, StringComparison.Ordinal);
    }

    /// <summary>Flushes the content to disk and renames it to <paramref name="targetPath"/>.</summary>
    public async Task CommitAsync(string targetPath, bool overwrite)
    {
        await CloseAsync();
        _beforeCommit?.Invoke(targetPath);
        File.Move(Path, targetPath, overwrite);
        _committed = true;
    }

    /// <summary>Like <see cref="CommitAsync"/> without overwriting; returns false, and keeps the temp file for disposal,
    /// when <paramref name="targetPath"/> appeared meanwhile.</summary>
    public async Task<bool> TryCommitNewAsync(string targetPath)
    {
        try
        {
            await CommitAsync(targetPath, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(targetPath))
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            // Abandoned mid-write: the content is discarded, so a failing flush (a full disk) must not hide the original error.
            _closed = true;
            try
            {
                await _stream.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
        if (!_committed) File.Delete(Path);
    }

    private async Task CloseAsync()
    {
        if (_closed) return;
        _closed = true;
        await _stream.FlushAsync();
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
    }
}
