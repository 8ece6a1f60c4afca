using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Pipeline.IO;

namespace Training.MlNet;

/// <summary>Fits the candidates of a model definition on its training rows and measures each on its test rows.</summary>
public sealed class MlNetTrainer
{
    /// <summary>
    /// Fits every selected candidate, one after the other (each already uses the cores it is given).
    /// <paramref name="include"/> null selects every candidate that is not opt-in; otherwise exactly the named ones.
    /// </summary>
    public async Task<IReadOnlyList<TrainedCandidate>> TrainAsync(IModelDefinition definition, ModelData data, int seed,
        IReadOnlySet<string>? include, Action<string> log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(log);
        var selected = Select(definition, include);
        var trained = new List<TrainedCandidate>(selected.Count);
        foreach (var candidate in selected)
        {
            ct.ThrowIfCancellationRequested();
            // A context per candidate: each gets the same seeded random stream whatever ran before it.
            var ml = new MLContext(seed);
            log($"{definition.Name}/{candidate.Name}: training");
            var stopwatch = Stopwatch.StartNew();
            // ML.NET 6 has no public way to stop a Fit, so cancellation takes effect between candidates.
            var model = await Task.Run(() => candidate.Build(ml).Fit(data.Train), ct);
            stopwatch.Stop();
            ct.ThrowIfCancellationRequested();
            var metrics = CandidateMetrics.Evaluate(ml, definition, model, data.Test);
            log($"{definition.Name}/{candidate.Name}: trained in {stopwatch.Elapsed.TotalSeconds:F1} s; "
                + string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F4}"))));
            trained.Add(new TrainedCandidate(candidate.Name, model, data.Train.Schema, stopwatch.Elapsed, metrics));
        }
        return trained;
    }

    /// <summary>Saves the ML.NET model zip so that readers see the old file or the whole new one, never part of it.</summary>
    public Task SaveAsync(TrainedCandidate candidate, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return AtomicFile.WriteAsync(path, (stream, _) =>
        {
            new MLContext().Model.Save(candidate.Model, candidate.InputSchema, stream);
            return Task.CompletedTask;
        }, ct);
    }

    internal static IReadOnlyList<MlNetCandidate> Select(IModelDefinition definition, IReadOnlySet<string>? include)
    {
        if (include is null) return definition.Candidates.Where(c => !c.OptIn).ToList();
        var names = definition.Candidates.Select(c => c.Name).ToList();
        var unknown = include.Where(n => !names.Contains(n, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"Model '{definition.Name}' has no candidate named {string.Join(", ", unknown.Select(n => $"'{n}'"))}. Its candidates are: "
                + string.Join(", ", definition.Candidates.Select(c => c.OptIn ? c.Name + " (opt-in)" : c.Name)) + ". Fix --candidates.",
                nameof(include));
        return definition.Candidates.Where(c => include.Contains(c.Name)).ToList();
    }
}
