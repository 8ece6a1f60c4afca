using Pipeline.IO;

namespace Pipeline.Drift;

/// <summary>Reads and atomically writes <see cref="DriftBaseline.FileName"/> files.</summary>
public static class DriftBaselineFile
{
    public static Task WriteAsync(string path, DriftBaseline baseline, CancellationToken cancellationToken)
    {
        var problems = baseline.Problems();
        if (problems.Count > 0)
            throw new DriftBaselineException($"Refusing to write an inconsistent drift baseline to '{path}':\n  - {string.Join("\n  - ", problems)}");
        return AtomicFile.WriteAllBytesAsync(path, DriftBaselineJson.Serialize(baseline), cancellationToken);
    }

    /// <exception cref="DriftBaselineException">The file is missing, unreadable, malformed or inconsistent.</exception>
    public static async Task<DriftBaseline> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(full, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DriftBaselineException($"Cannot read drift baseline '{full}': {e.Message}. Check the path, or record it with Validate.", e);
        }

        return DriftBaselineJson.Deserialize(bytes, full);
    }

    /// <summary>Synchronous read, for server startup (which runs before any async host exists).</summary>
    public static DriftBaseline Read(string path)
    {
        var full = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DriftBaselineException($"Cannot read drift baseline '{full}': {e.Message}. Check the path, or record it with Validate.", e);
        }

        return DriftBaselineJson.Deserialize(bytes, full);
    }
}
