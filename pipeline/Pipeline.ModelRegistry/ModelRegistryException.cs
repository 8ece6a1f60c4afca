namespace Pipeline.ModelRegistry;

public enum ModelRegistryError
{
    InvalidRequest,
    VersionNotFound,
    VersionConflict,
    NotDeployable,
    NothingToRollBack,
    BlobMissing,
    BlobCorrupted,
    CorruptRecord,
    UnsupportedSchema,
    LockTimeout,
}

/// <summary>A registry operation that cannot go ahead; the message says what is wrong and how to fix it.</summary>
public sealed class ModelRegistryException(ModelRegistryError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public ModelRegistryError Error { get; } = error;
}
