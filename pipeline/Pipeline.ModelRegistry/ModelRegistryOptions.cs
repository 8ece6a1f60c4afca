namespace Pipeline.ModelRegistry;

public sealed record ModelRegistryOptions
{
    /// <summary>How long a write waits for <c>registry.lock</c> before failing with the lock's path.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A blob temp file older than this is treated as left behind by a crashed writer and deleted.
    /// Blob writes run outside the lock, so a younger temp file may belong to a writer still copying.</summary>
    public TimeSpan AbandonedBlobTempAge { get; init; } = TimeSpan.FromHours(1);
}
