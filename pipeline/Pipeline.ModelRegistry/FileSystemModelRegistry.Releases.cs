using Pipeline.ModelRegistry.Storage;

namespace Pipeline.ModelRegistry;

/// <summary>Per-environment production versions and their append-only release history.</summary>
public sealed partial class FileSystemModelRegistry
{
    public async Task<ReleaseResult> PromoteAsync(
        string environment, string versionId, string reason, string? sourceRevision, CancellationToken cancellationToken = default)
    {
        EnvironmentNames.Validate(environment);
        var version = await GetVersionAsync(versionId, cancellationToken);
        if (!version.IsDeployable)
        {
            var failed = version.FailedGates.Select(g => $"{g.Gate} measured {g.Measured:G6} against threshold {g.Threshold:G6}").ToArray();
            var why = failed.Length > 0 ? $"failed gates: {string.Join("; ", failed)}" : "no gate results were recorded";
            throw new ModelRegistryException(ModelRegistryError.NotDeployable,
                $"Version {versionId} did not pass validation ({why}), so it cannot be promoted to '{environment}'. " +
                "Only versions registered with all gates passing are deployable; fix the model and run Validate again.");
        }
        return await ChangeProductionAsync(environment, ReleaseEventKind.Promoted, reason, sourceRevision,
            _ => versionId, cancellationToken);
    }

    public async Task<ReleaseResult> RollbackAsync(
        string environment, string? toVersionId, string reason, string? sourceRevision = null, CancellationToken cancellationToken = default)
    {
        EnvironmentNames.Validate(environment);
        var requested = string.IsNullOrWhiteSpace(toVersionId) ? null : toVersionId.Trim();
        if (requested is not null) await GetVersionAsync(requested, cancellationToken);
        // Versions are immutable, so their hashes can be read before the lock is taken.
        var sha256Of = RollbackTarget.Sha256Lookup(await ReadAllVersionsAsync(cancellationToken));
        return await ChangeProductionAsync(environment, ReleaseEventKind.RolledBack, reason, sourceRevision,
            state => RollbackTarget.Resolve(state, requested, sha256Of), cancellationToken);
    }

    public async Task<ModelVersion?> GetProductionAsync(string environment, CancellationToken cancellationToken = default)
    {
        var state = await ReadEnvironmentAsync(environment, cancellationToken);
        return state.ProductionVersion is { } versionId ? await GetVersionAsync(versionId, cancellationToken) : null;
    }

    public async Task<IReadOnlyList<ReleaseEvent>> GetHistoryAsync(string environment, CancellationToken cancellationToken = default) =>
        (await ReadEnvironmentAsync(environment, cancellationToken)).History;

    public async Task<IReadOnlyList<EnvironmentState>> ListEnvironmentsAsync(CancellationToken cancellationToken = default)
    {
        var environments = new List<EnvironmentState>();
        foreach (var name in RegistryLayout.RecordFiles(_layout.EnvironmentDirectory).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
            environments.Add(await ReadEnvironmentAsync(name!, cancellationToken));
        return environments;
    }

    /// <summary>Under the lock: reads the environment, asks <paramref name="chooseVersion"/> for the new production
    /// version and, when it differs from the current one, appends the event and replaces the record atomically.</summary>
    private async Task<ReleaseResult> ChangeProductionAsync(
        string environment,
        ReleaseEventKind kind,
        string reason,
        string? sourceRevision,
        Func<EnvironmentState, string> chooseVersion,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"A {kind} of '{environment}' needs a reason (who and why, e.g. \"CI run 123: gates passed\"); the release history keeps it.");
        }

        await using var held = await AcquireWriteLockAsync(cancellationToken);
        var state = await ReadEnvironmentAsync(environment, cancellationToken);
        var version = chooseVersion(state);
        if (version == state.ProductionVersion) return new ReleaseResult(state, null);

        var recorded = new ReleaseEvent(kind, _timeProvider.GetUtcNow(), version, state.ProductionVersion,
            string.IsNullOrWhiteSpace(sourceRevision) ? null : sourceRevision.Trim(), reason.Trim());
        var updated = state with { ProductionVersion = version, History = [.. state.History, recorded] };

        await RegistryJson.WriteAsync(_layout.EnvironmentPath(environment), updated, RegistryJsonContext.Default.EnvironmentState,
            overwrite: true, _beforeCommit, cancellationToken);
        return new ReleaseResult(updated, recorded);
    }

    private async Task<EnvironmentState> ReadEnvironmentAsync(string environment, CancellationToken cancellationToken)
    {
        EnvironmentNames.Validate(environment);
        var state = await RegistryJson.ReadNamedAsync(
            _layout.EnvironmentPath(environment), RegistryJsonContext.Default.EnvironmentState, environment, e => e.Environment, cancellationToken);
        return state ?? EnvironmentState.Empty(environment);
    }
}
