namespace Pipeline.ModelRegistry;

/// <summary>The model registry the release pipeline relies on: immutable model versions with lineage and gate
/// verdicts, and per-environment production versions with an append-only release history.</summary>
public interface IModelRegistry
{
    /// <summary>Stores the ONNX file by content and records the version. With a generated id the registry is content-addressed:
    /// a model whose name, SHA-256 and gate verdicts (gate, threshold, passed) equal an existing version's returns that
    /// version unchanged, whatever else differs (measured values, metrics, source revision). A given id returns the version
    /// registered under it when the content is identical, and fails with <see cref="ModelRegistryError.VersionConflict"/>
    /// when it holds other content.</summary>
    Task<ModelVersion> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>All versions, newest first.</summary>
    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(CancellationToken cancellationToken = default);

    /// <summary>The version, or <see cref="ModelRegistryError.VersionNotFound"/>.</summary>
    Task<ModelVersion> GetVersionAsync(string versionId, CancellationToken cancellationToken = default);

    /// <summary>A read-only stream over the version's ONNX file that re-hashes what it reads and throws
    /// <see cref="ModelRegistryError.BlobCorrupted"/> at the end when the content is not what was registered.
    /// Use <see cref="ExportBlobAsync"/> when nothing may be used before it is verified.</summary>
    Task<Stream> OpenBlobAsync(string versionId, CancellationToken cancellationToken = default);

    /// <summary>Re-hashes the version's ONNX file; throws <see cref="ModelRegistryError.BlobCorrupted"/> when it was altered.</summary>
    Task VerifyBlobAsync(string versionId, CancellationToken cancellationToken = default);

    /// <summary>Copies the version's verified ONNX file to <paramref name="destinationPath"/> atomically: the destination
    /// is replaced only by complete content whose hash matched.</summary>
    Task ExportBlobAsync(string versionId, string destinationPath, CancellationToken cancellationToken = default);

    /// <summary>Keeps a file with the version (such as its drift baseline, <c>drift-baseline.json</c>) under
    /// <paramref name="fileName"/>, replacing an earlier file of that name: Validate records it for the version it
    /// registers, and a rollback or re-deploy of that version finds its own copy. Unknown versions fail with
    /// <see cref="ModelRegistryError.VersionNotFound"/>.</summary>
    Task PutVersionFileAsync(string versionId, string fileName, string sourcePath, CancellationToken cancellationToken = default);

    /// <summary>Copies the version's file <paramref name="fileName"/> to <paramref name="destinationPath"/> atomically;
    /// false (and nothing written) when the version has no such file, as versions registered before it was kept do not.</summary>
    Task<bool> ExportVersionFileAsync(string versionId, string fileName, string destinationPath, CancellationToken cancellationToken = default);

    /// <summary>Makes a validated version the production version of <paramref name="environment"/>. Promoting the
    /// version already in production changes nothing. An unvalidated version fails with <see cref="ModelRegistryError.NotDeployable"/>.</summary>
    Task<ReleaseResult> PromoteAsync(string environment, string versionId, string reason, string? sourceRevision, CancellationToken cancellationToken = default);

    /// <summary>Puts an earlier production version back. <paramref name="toVersionId"/> <c>null</c> means the most recent
    /// production version that differs from the current one (so two rollbacks in a row toggle, like
    /// <c>kubectl rollout undo</c>); a named version must have been in production in this environment before.</summary>
    Task<ReleaseResult> RollbackAsync(string environment, string? toVersionId, string reason, string? sourceRevision = null, CancellationToken cancellationToken = default);

    /// <summary>The version in production, or <c>null</c> when the environment never had one.</summary>
    Task<ModelVersion?> GetProductionAsync(string environment, CancellationToken cancellationToken = default);

    /// <summary>The environment's release history, oldest first (empty when it never had a release).</summary>
    Task<IReadOnlyList<ReleaseEvent>> GetHistoryAsync(string environment, CancellationToken cancellationToken = default);

    /// <summary><see cref="PromoteAsync(string, string, string, string?, CancellationToken)"/> for one cluster namespace of an environment.</summary>
    Task<ReleaseResult> PromoteAsync(ReleaseTarget target, string versionId, string reason, string? sourceRevision, CancellationToken cancellationToken = default);

    /// <summary><see cref="RollbackAsync(string, string?, string, string?, CancellationToken)"/> for one cluster namespace of an environment.</summary>
    Task<ReleaseResult> RollbackAsync(ReleaseTarget target, string? toVersionId, string reason, string? sourceRevision = null, CancellationToken cancellationToken = default);

    /// <summary>The version in production in <paramref name="target"/>, or <c>null</c>.</summary>
    Task<ModelVersion?> GetProductionAsync(ReleaseTarget target, CancellationToken cancellationToken = default);

    /// <summary>The release history of <paramref name="target"/>, oldest first.</summary>
    Task<IReadOnlyList<ReleaseEvent>> GetHistoryAsync(ReleaseTarget target, CancellationToken cancellationToken = default);

    /// <summary>Every environment that has had a release, by name.</summary>
    Task<IReadOnlyList<EnvironmentState>> ListEnvironmentsAsync(CancellationToken cancellationToken = default);
}
