namespace Pipeline.ModelRegistry.Storage;

/// <summary>Removes temp files left by writers that crashed before renaming them. Readers never look at temp files,
/// so this only reclaims space; it runs while holding the registry lock.</summary>
internal static class StaleTemporaryFiles
{
    /// <param name="layout">The registry.</param>
    /// <param name="abandonedBlobTempAge">Blob temp files younger than this are left alone: blobs are written outside
    /// the lock, so a young one may belong to a writer still copying.</param>
    public static void Remove(RegistryLayout layout, TimeSpan abandonedBlobTempAge)
    {
        // Record temp files are only created by the lock holder, which is us: any that exist are abandoned.
        DeleteTemporaryFiles(layout.VersionDirectory, _ => true);
        DeleteTemporaryFiles(layout.EnvironmentDirectory, _ => true);
        // File times come from the OS clock, so their age is measured on it, not on the injected TimeProvider.
        var abandonedBefore = DateTime.UtcNow - abandonedBlobTempAge;
        DeleteTemporaryFiles(layout.BlobDirectory, path => File.GetLastWriteTimeUtc(path) < abandonedBefore);
    }

    private static void DeleteTemporaryFiles(string directory, Func<string, bool> abandoned)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var path in Directory.EnumerateFiles(directory, ".*").Where(TemporaryFile.IsTemporary))
        {
            try
            {
                if (abandoned(path)) File.Delete(path);
            }
            catch (IOException)
            {
                // Removed or still held by another process: either way it is not ours to worry about.
            }
        }
    }
}
