using Pipeline.ModelRegistry.Storage;

namespace Pipeline.ModelRegistry;

/// <summary>The model registry in a directory (e.g. <c>artifacts/registry</c>); nothing needs to exist beforehand.
/// Several instances, threads and processes may use one directory at once: record updates run under an exclusive
/// lock on <c>registry.lock</c>, every file is written to a temp file, flushed to disk and renamed into place, and
/// readers never look at temp files, so a crash leaves the previous consistent state.</summary>
public sealed partial class FileSystemModelRegistry : IModelRegistry, IDisposable
{
    private readonly RegistryLayout _layout;
    private readonly TimeProvider _timeProvider;
    private readonly ModelRegistryOptions _options;
    private readonly RegistryWriteLock _writeLock;
    private readonly BlobStore _blobs;
    private readonly Action<string>? _beforeCommit;

    public FileSystemModelRegistry(string rootDirectory, TimeProvider timeProvider, ModelRegistryOptions? options = null)
        : this(rootDirectory, timeProvider, options ?? new ModelRegistryOptions(), beforeCommit: null)
    {
    }

    /// <param name="beforeCommit">Runs with the target path after each file's content is on disk and before it is
    /// renamed into place; tests throw from it to simulate a crash at that moment.</param>
    internal FileSystemModelRegistry(string rootDirectory, TimeProvider timeProvider, ModelRegistryOptions options, Action<string>? beforeCommit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _layout = new RegistryLayout(rootDirectory);
        _timeProvider = timeProvider;
        _options = options;
        _beforeCommit = beforeCommit;
        _writeLock = new RegistryWriteLock(_layout.LockPath, options.LockTimeout);
        _blobs = new BlobStore(_layout, beforeCommit);
    }

    public string RootDirectory => _layout.Root;

    public async Task<ModelVersion> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var request = RegistrationRules.Normalize(registration);
        // Outside the lock: a blob is named by its content, so storing it needs no coordination.
        var (sha256, size) = await _blobs.PutAsync(request.ModelPath, cancellationToken);

        await using var held = await AcquireWriteLockAsync(cancellationToken);
        var existing = await ReadAllVersionsAsync(cancellationToken);
        var candidate = NewVersion(request, sha256, size, existing);

        if (request.VersionId is { } requestedId && existing.FirstOrDefault(v => v.VersionId == requestedId) is { } sameId)
            return SameContentOrConflict(sameId, candidate);
        // Content-addressed: a generated id is only handed out for bytes (or gate verdicts) the registry has not seen.
        // `existing` is newest first, so a registry that already holds duplicates (from before this rule) returns the newest.
        if (request.VersionId is null && existing.FirstOrDefault(v => ModelIdentity.IsSameModel(v, candidate)) is { } sameModel)
            return sameModel;

        await RegistryJson.WriteAsync(_layout.VersionPath(candidate.VersionId), candidate, RegistryJsonContext.Default.ModelVersion,
            overwrite: false, _beforeCommit, cancellationToken);
        return candidate;
    }

    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(CancellationToken cancellationToken = default) =>
        await ReadAllVersionsAsync(cancellationToken);

    public async Task<ModelVersion> GetVersionAsync(string versionId, CancellationToken cancellationToken = default)
    {
        VersionIds.Validate(versionId);
        return await ReadVersionAsync(versionId, cancellationToken) ?? throw await NotFoundAsync(versionId, cancellationToken);
    }

    public async Task<Stream> OpenBlobAsync(string versionId, CancellationToken cancellationToken = default) =>
        _blobs.OpenVerifying(await GetVersionAsync(versionId, cancellationToken));

    public async Task VerifyBlobAsync(string versionId, CancellationToken cancellationToken = default)
    {
        await using var blob = await OpenBlobAsync(versionId, cancellationToken);
        await blob.CopyToAsync(Stream.Null, cancellationToken);
    }

    public async Task ExportBlobAsync(string versionId, string destinationPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        await _blobs.ExportAsync(await GetVersionAsync(versionId, cancellationToken), destinationPath, cancellationToken);
    }

    public void Dispose() => _writeLock.Dispose();

    private ModelVersion NewVersion(ModelRegistration request, string sha256, long size, IReadOnlyList<ModelVersion> existing)
    {
        var sequence = existing.Count == 0 ? 1 : existing.Max(v => v.Sequence) + 1;
        var versionId = request.VersionId ?? VersionIds.Generate(sequence, request.SourceRevision);
        if (request.VersionId is null)
        {
            // A generated id skips past any id a caller already chose by hand.
            var taken = existing.Select(v => v.VersionId).ToHashSet(StringComparer.Ordinal);
            while (taken.Contains(versionId)) versionId = VersionIds.Generate(++sequence, request.SourceRevision);
        }
        return new ModelVersion
        {
            VersionId = versionId,
            Sequence = sequence,
            ModelName = request.ModelName,
            Sha256 = sha256,
            SizeBytes = size,
            SourceRevision = request.SourceRevision,
            DataHashes = request.DataHashes,
            Parameters = request.Parameters,
            Metrics = request.Metrics,
            Gates = request.Gates,
            PassedValidation = RegistrationRules.PassedValidation(request.Gates),
            CreatedAt = _timeProvider.GetUtcNow(),
            Labels = request.Labels,
            MeasuredOn = request.MeasuredOn,
        };
    }

    private static ModelVersion SameContentOrConflict(ModelVersion existing, ModelVersion candidate)
    {
        var differences = VersionContent.Differences(existing, candidate);
        if (differences.Count == 0) return existing;
        throw new ModelRegistryException(ModelRegistryError.VersionConflict,
            $"Version {existing.VersionId} is already registered with different content ({string.Join("; ", differences)}). " +
            "Versions are immutable: register under a new version id, or leave the id empty to generate one.");
    }

    private async Task<IAsyncDisposable> AcquireWriteLockAsync(CancellationToken cancellationToken)
    {
        var held = await _writeLock.AcquireAsync(cancellationToken);
        StaleTemporaryFiles.Remove(_layout, _options.AbandonedBlobTempAge);
        return held;
    }

    private async Task<IReadOnlyList<ModelVersion>> ReadAllVersionsAsync(CancellationToken cancellationToken)
    {
        var versions = new List<ModelVersion>();
        foreach (var path in RegistryLayout.RecordFiles(_layout.VersionDirectory))
        {
            var versionId = Path.GetFileNameWithoutExtension(path);
            if (await ReadVersionAsync(versionId, cancellationToken) is { } version) versions.Add(version);
        }
        return versions.OrderByDescending(v => v.Sequence).ToArray();
    }

    private Task<ModelVersion?> ReadVersionAsync(string versionId, CancellationToken cancellationToken) =>
        RegistryJson.ReadNamedAsync(_layout.VersionPath(versionId), RegistryJsonContext.Default.ModelVersion, versionId, v => v.VersionId, cancellationToken);

    private async Task<ModelRegistryException> NotFoundAsync(string versionId, CancellationToken cancellationToken)
    {
        var newest = (await ReadAllVersionsAsync(cancellationToken)).Take(5).Select(v => v.VersionId).ToArray();
        var known = newest.Length == 0 ? "the registry has no versions yet" : $"the newest are {string.Join(", ", newest)}";
        return new ModelRegistryException(ModelRegistryError.VersionNotFound,
            $"Model version '{versionId}' is not in the registry at '{_layout.Root}' ({known}).");
    }
}
