using System.Text.Json;
using Pipeline.Gates;
using Pipeline.ModelRegistry;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using Training.MlNet;
using TestSupport;

namespace Pipeline.Stages.Tests;

/// <summary>
/// The penguins model through TrainMlNet and Validate for real: ML.NET trains, OnnxConverter exports (checked against
/// ML.NET), and the gates measure the exports on the same test rows and register the winner under the model's name.
/// In the pipeline-run collection, as the other gate tests: its latency gate must not time the containers' load tests.
/// </summary>
[Collection(PipelineRunCollection.Name)]
public sealed class MlNetTrainStageTests : IAsyncLifetime
{
    private const string Package = "r-cran-palmerpenguins";
    private readonly TemporaryDirectory _directory = new();
    private readonly List<string> _log = [];
    private ModelSource _penguins = null!;

    public async Task InitializeAsync()
    {
        // As Setup does it, into this test's own directory (unless Setup's directory is given).
        var root = Environment.GetEnvironmentVariable("MLOPS_MODEL_DATA_DIR") is { Length: > 0 } configured ? configured : _directory.File("packages");
        var definition = ModelCatalog.Discover().Get("penguins");
        Directory.CreateDirectory(root);
        await new DebianDataPackage(new ProcessRunner(), root, Package, definition.Data.Select(d => d.PathInPackage).ToList())
            .EnsureAsync(CancellationToken.None);
        _penguins = new ModelSource(definition, new ModelDataFiles(root), Seed: 7);
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Penguins_candidates_are_trained_exported_gated_and_the_winner_registered_under_the_models_name()
    {
        var trained = await Stage().RunAsync(Request(["sdca-maxent", "lightgbm"]), CancellationToken.None);

        Assert.Equal(["sdca-maxent", "lightgbm"], trained.Candidates.Select(c => c.Name));
        Assert.All(trained.Candidates, c => Assert.True(File.Exists(c.OnnxPath) && File.Exists(c.MlNetModelPath), c.Name));
        Assert.Contains(_log, l => l.StartsWith("lightgbm: exported") && l.Contains("quantization not applicable: its work is in") && l.Contains("TreeEnsembleRegressor"));
        using (var report = JsonDocument.Parse(await File.ReadAllBytesAsync(trained.ReportPath)))
            Assert.Equal("penguins", report.RootElement.GetProperty("model").GetString());

        using var registry = new FileSystemModelRegistry(_directory.File("registry"), TimeProvider.System);
        var candidates = trained.Candidates.Select(c => new ModelCandidate(c.Name, c.OnnxPath, CandidateKind.Independent)).ToList();
        var validated = await new ValidateStage(new Pipeline.OnnxRuntime.OrtEnvironment(), registry, _log.Add, PipelineRunFixture.FastEvaluation)
            .RunAsync(new ValidateStageRequest(candidates, null, _penguins, new GateThresholds { MinAccuracy = 0.9 }, "local",
                _directory.File("gates"), "penguins", "0123456789abcdef"), CancellationToken.None);

        Assert.True(validated.Release is not null, validated.Report.Decision.Explanation);
        var release = validated.Release;
        Assert.Equal("penguins", release.ModelName);
        Assert.Contains(release.Candidate, trained.Candidates.Select(c => c.Name));
        // The gates scored the exports on the same rows ML.NET's evaluator scored the trained pipelines on.
        foreach (var candidate in trained.Candidates)
        {
            var measured = validated.Report.Candidates.Single(c => c.Name == candidate.Name);
            Assert.Equal(candidate.TestMetrics[CandidateMetrics.Accuracy], measured.Accuracy, 1e-9);
        }

        var version = await registry.GetVersionAsync(release.Version);
        Assert.Equal("ML.NET", version.Parameters["trainer"]);
        Assert.Contains("penguins.csv", version.DataHashes.Keys);
        Assert.Null(await registry.GetProductionAsync(new ReleaseTarget("local") { Model = "penguins" }));

        // The drift baseline: one quantity per numeric input, the string inputs named as skipped, kept with the version.
        var baseline = await Pipeline.Drift.DriftBaselineFile.ReadAsync(_directory.File("gates/drift-baseline.json"), CancellationToken.None);
        Assert.Equal(("penguins", release.Version, "training"), (baseline.Model, baseline.Version, baseline.ReferenceSource));
        Assert.Equal(
            ["input:bill_length_mm:mean", "input:bill_depth_mm:mean", "input:flipper_length_mm:mean", "input:body_mass_g:mean", "prediction:class"],
            baseline.Quantities.Select(q => q.Name));
        Assert.Contains(baseline.Notes, n => n.StartsWith("input 'island'") && n.Contains("only numeric inputs"));
        Assert.Contains(baseline.Notes, n => n.StartsWith("input 'sex'"));
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], baseline.Quantities[^1].Labels.Order());
        Assert.True(await registry.ExportVersionFileAsync(release.Version, "drift-baseline.json", _directory.File("exported.json")));
    }

    [Fact]
    public async Task An_unknown_candidate_is_refused_with_the_models_candidates()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Stage().RunAsync(Request(["xgboost"]), CancellationToken.None));

        Assert.Contains("xgboost", error.Message);
        Assert.Contains("lightgbm", error.Message);
        Assert.False(Directory.Exists(_directory.File("model")) && Directory.EnumerateFiles(_directory.File("model")).Any());
    }

    private MlNetTrainStage Stage() => new(line => { lock (_log) _log.Add(line); });

    private MlNetTrainStageRequest Request(string[] candidates) => new(_penguins, candidates, _directory.File("train"), _directory.File("model"),
        "1.0.0+test", "0123456789abcdef", DateTimeOffset.UtcNow);
}
