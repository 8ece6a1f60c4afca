using Pipeline.ModelRegistry.Storage;

namespace Pipeline.ModelRegistry;

/// <summary>Per-environment production versions and their append-only release history.</summary>
public sealed partial class FileSystemModelRegistry
{
    public Task<ReleaseResult> PromoteAsync(
        string environment, string versionId, string reason, string? sourceRevision, CancellationToken cancellationToken = default) =>
        PromoteAsync(new ReleaseTarget(environment), versionId, reason, sourceRevision, cancellationToken);

    public async Task<ReleaseResult> PromoteAsync(
        ReleaseTarget target, string versionId, string reason, string? sourceRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        var environment = target.ToString();
        var version = await GetVersionAsync(versionId, cancellationToken);
        if (!version.IsDeployable)
        {
            var failed = version.FailedGates.Select(g => $"{g.Gate} measured {g.Measured:G6} against threshold {g.Threshold:G6}").ToArray();
            var why = failed.Length > 0 ? $"failed gates: {string.Join("; ", failed)}" : "no gate results were recorded";
            throw new ModelRegistryException(ModelRegistryError.NotDeployable,
                $"Version {versionId} did not pass validation ({why}), so it cannot be promoted to '{environment}'. " +
                "Only versions registered with all gates passing are deployable; fix the model and run Validate again.");
        }
        return await ChangeProductionAsync(target, ReleaseEventKind.Promoted, reason, sourceRevision,
            _ => versionId, cancellationToken);
    }

    public Task<ReleaseResult> RollbackAsync(
        string environment, string? toVersionId, string reason, string? sourceRevision = null, CancellationToken cancellationToken = default) =>
        RollbackAsync(new ReleaseTarget(environment), toVersionId, reason, sourceRevision, cancellationToken);

    public async Task<ReleaseResult> RollbackAsync(
        ReleaseTarget target, string? toVersionId, string reason, string? sourceRevision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Validate();
        var requested = string.IsNullOrWhiteSpace(toVersionId) ? null : toVersionId.Trim();
        if (requested is not null) await GetVersionAsync(requested, cancellationToken);
        // Versions are immutable, so their hashes can be read before the lock is taken.
        var sha256Of = RollbackTarget.Sha256Lookup(await ReadAllVersionsAsync(cancellationToken));
        return await ChangeProductionAsync(target, ReleaseEventKind.RolledBack, reason, sourceRevision,
            state => RollbackTarget.Resolve(state, requested, sha256Of), cancellationToken);
    }

    public Task<ModelVersion?> GetProductionAsync(string environment, CancellationToken cancellationToken = default) =>
        GetProductionAsync(new ReleaseTarget(environment), cancellationToken);

    public async Task<ModelVersion?> GetProductionAsync(ReleaseTarget target, CancellationToken cancellationToken = default)
    {
        var state = await ReadEnvironmentAsync(target, cancellationToken);
        return state.ProductionVersion is { } versionId ? await GetVersionAsync(versionId, cancellationToken) : null;
    }

    public Task<IReadOnlyList<ReleaseEvent>> GetHistoryAsync(string environment, CancellationToken cancellationToken = default) =>
        GetHistoryAsync(new ReleaseTarget(environment), cancellationToken);

    public async Task<IReadOnlyList<ReleaseEvent>> GetHistoryAsync(ReleaseTarget target, CancellationToken cancellationToken = default) =>
        (await ReadEnvironmentAsync(target, cancellationToken)).History;

    /// <summary>Every record: environment-wide ones (including those written before records were kept per cluster namespace) and per cluster namespace.</summary>
    public async Task<IReadOnlyList<EnvironmentState>> ListEnvironmentsAsync(CancellationToken cancellationToken = default)
    {
        var environments = new List<EnvironmentState>();
        foreach (var path in RegistryLayout.RecordFiles(_layout.EnvironmentDirectory).Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileNameWithoutExtension(path);
            var state = await RegistryJson.ReadNamedAsync(path, RegistryJsonContext.Default.EnvironmentState, key, e => e.Target.Key, cancellationToken);
            if (state is not null) environments.Add(state);
        }
        return environments;
    }

    /// <summary>Under the lock: reads the environment, asks <paramref name="chooseVersion"/> for the new production
    /// version and, when it differs from the current one, appends the event and replaces the record atomically.</summary>
    private async Task<ReleaseResult> ChangeProductionAsync(
        ReleaseTarget target,
        ReleaseEventKind kind,
        string reason,
        string? sourceRevision,
        Func<EnvironmentState, string> chooseVersion,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"A {kind} of '{target}' needs a reason (who and why, e.g. \"CI run 123: gates passed\"); the release history keeps it.");
        }

        await using var held = await AcquireWriteLockAsync(cancellationToken);
        var state = await ReadEnvironmentAsync(target, cancellationToken);
        var version = chooseVersion(state);
        if (version == state.ProductionVersion) return new ReleaseResult(state, null);

        var recorded = new ReleaseEvent(kind, _timeProvider.GetUtcNow(), version, state.ProductionVersion,
            string.IsNullOrWhiteSpace(sourceRevision) ? null : sourceRevision.Trim(), reason.Trim());
        var updated = state with { ProductionVersion = version, History = [.. state.History, recorded] };

        await RegistryJson.WriteAsync(_layout.EnvironmentPath(target.Key), updated, RegistryJsonContext.Default.EnvironmentState,
            overwrite: true, _beforeCommit, cancellationToken);
        return new ReleaseResult(updated, recorded);
    }

    /// <summary>
    /// The target's own record. A cluster namespace never falls back to the environment-wide record: one written before
    /// records were kept per namespace cannot say which cluster and namespace it was for, so it stays the
    /// environment's (read as before, listed, shown) and a namespace's history starts with its first release here.
    /// A model's record that does not exist yet starts from the record of the same place written before records were
    /// kept per model, when the version in production there is this model's: an upgraded registry keeps its
    /// production version and the history Rollback needs. The first release writes it under the model's own key.
    /// </summary>
    private async Task<EnvironmentState> ReadEnvironmentAsync(ReleaseTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var state = await ReadRecordAsync(target, cancellationToken);
        if (state is null && target.Model is { } model && await ReadRecordAsync(target with { Model = null }, cancellationToken) is { } shared &&
            shared.ProductionVersion is { } production && (await ReadVersionAsync(production, cancellationToken))?.ModelName == model)
            return shared with { Model = model };
        return state ?? EnvironmentState.Empty(target);
    }

    private async Task<EnvironmentState?> ReadRecordAsync(ReleaseTarget target, CancellationToken cancellationToken)
    {
        var key = target.Key;
        return await RegistryJson.ReadNamedAsync(
            _layout.EnvironmentPath(key), RegistryJsonContext.Default.EnvironmentState, key, e => e.Target.Key, cancellationToken);
    }
}
