using System.Collections.Concurrent;

namespace Pipeline.Engine;

/// <summary>
/// Decides whether an incremental target is up to date: its input fingerprint equals the recorded one, every recorded
/// output still exists unchanged, and no incremental target it depends on is being rebuilt in this build (whose outputs
/// it may read without declaring them). Otherwise names the first reasons it must run.
/// </summary>
internal sealed class UpToDateChecker(AbsolutePath rootDirectory, FingerprintStore store)
{
    public const string UpToDateReason = "inputs and outputs unchanged";

    // Targets share most of their code (Train, Prune and Distill all compile training/Training): hash each source once per
    // build. Never other inputs, which earlier targets write. A source edited mid-build keeps its older hash, so the next
    // build sees the edit: a cached hash can cost a rerun, never skip one.
    private readonly ConcurrentDictionary<AbsolutePath, string> _codeHashes = new();

    public FingerprintStore Store => store;

    public async Task<InputSnapshot> SnapshotInputsAsync(TargetDescriptor target, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in FileGlob.ExpandAll(target.Inputs, rootDirectory))
        {
            files[FileHasher.Key(file, rootDirectory)] = await FileHasher.HashFileAsync(file, cancellationToken);
        }

        foreach (var file in target.CodeInputs.Count == 0 ? [] : ProjectClosure.Files(target.CodeInputs, rootDirectory, target.Name))
        {
            cancellationToken.ThrowIfCancellationRequested();
            files[FileHasher.Key(file, rootDirectory)] = _codeHashes.GetOrAdd(file, FileHasher.HashSmallFile);
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in target.Behavior.ParameterInputs)
        {
            var value = ValueFormatter.Canonical(member.Read());
            parameters[member.Name] = member.IsSecret ? "sha256:" + FileHasher.HashText(value) : value;
        }

        return new InputSnapshot(target.Name, files, parameters);
    }

    /// <param name="rebuiltDependencies">Incremental targets in <paramref name="target"/>'s DependsOn that run in this build.</param>
    public async Task<Freshness> CheckAsync(TargetDescriptor target, IReadOnlyList<string> rebuiltDependencies, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotInputsAsync(target, cancellationToken);
        var record = await store.LoadAsync(target.Name, cancellationToken);
        // Without a record the target runs anyway, and "no previous run" is the reason that matters.
        if (record is null)
        {
            return new Freshness(false, "no previous run", snapshot);
        }

        var changes = new List<string>();
        changes.AddRange(Differences("parameter", snapshot.Parameters, record.Parameters));
        changes.AddRange(Differences("input", snapshot.Files, record.Inputs));
        if (changes.Count == 0 && snapshot.Fingerprint != record.Fingerprint)
        {
            changes.Add("input fingerprint changed");
        }

        changes.AddRange(MissingOutputs(target).Select(pattern => $"output {pattern} missing"));
        changes.AddRange(await ChangedOutputsAsync(record, cancellationToken));
        changes.AddRange(rebuiltDependencies.Select(dependency => $"dependency {dependency} not up to date"));
        return changes.Count == 0
            ? new Freshness(true, UpToDateReason, snapshot)
            : new Freshness(false, Summarize(changes), snapshot);
    }

    /// <summary>Declared output patterns that match no file.</summary>
    public IReadOnlyList<string> MissingOutputs(TargetDescriptor target) =>
        target.Outputs.Where(pattern => FileGlob.Expand(pattern, rootDirectory).Count == 0).ToArray();

    public async Task RecordAsync(TargetDescriptor target, InputSnapshot snapshot, CancellationToken cancellationToken)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in target.Outputs.SelectMany(pattern => FileGlob.Expand(pattern, rootDirectory)).Distinct())
        {
            outputs[FileHasher.Key(file, rootDirectory)] = await FileHasher.HashFileAsync(file, cancellationToken);
        }

        var record = new FingerprintRecord(
            FingerprintRecord.CurrentVersion,
            target.Name,
            snapshot.Fingerprint,
            new Dictionary<string, string>(snapshot.Files),
            new Dictionary<string, string>(snapshot.Parameters),
            outputs,
            DateTimeOffset.UtcNow);
        await store.SaveAsync(record, cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ChangedOutputsAsync(FingerprintRecord record, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        foreach (var (key, hash) in record.Outputs.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var file = AbsolutePath.Resolve(key, rootDirectory);
            if (!file.FileExists())
            {
                changes.Add($"output {key} missing");
            }
            else if (await FileHasher.HashFileAsync(file, cancellationToken) != hash)
            {
                changes.Add($"output {key} changed");
            }
        }

        return changes;
    }

    private static IEnumerable<string> Differences(string kind, IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> recorded)
    {
        foreach (var key in current.Keys.Union(recorded.Keys).Order(StringComparer.Ordinal))
        {
            var now = current.TryGetValue(key, out var a) ? a : null;
            var before = recorded.TryGetValue(key, out var b) ? b : null;
            if (now == before)
            {
                continue;
            }

            yield return (now, before) switch
            {
                (null, _) => $"{kind} {key} removed",
                (_, null) => $"{kind} {key} added",
                _ => $"{kind} {key} changed",
            };
        }
    }

    private static string Summarize(IReadOnlyList<string> changes)
    {
        var distinct = changes.Distinct().ToList();
        return distinct.Count == 1 ? distinct[0] : $"{distinct[0]} (and {distinct.Count - 1} more)";
    }
}
