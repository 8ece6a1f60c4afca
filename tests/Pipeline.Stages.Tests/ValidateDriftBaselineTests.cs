using Pipeline.Drift;
using Pipeline.Gates;
using TestSupport;
using Training.Data;

namespace Pipeline.Stages.Tests;

/// <summary>
/// Validate records the drift baseline of the version it registers, from the real Fashion-MNIST training rows and the
/// gated model's own ONNX Runtime predictions, writes it beside gates.json and keeps it with the version in the registry.
/// </summary>
[Collection(PipelineRunCollection.Name)]
public sealed class ValidateDriftBaselineTests(PipelineRunFixture run)
{
    [Fact]
    public async Task Validate_writes_the_baseline_of_the_registered_version_and_the_registry_returns_it()
    {
        using var output = new TemporaryDirectory();
        using var registry = run.OpenRegistry();
        var result = await new ValidateStage(run.Ort, registry, run.Log.Add, PipelineRunFixture.FastEvaluation)
            .RunAsync(run.ValidateRequest(new GateThresholds { MinAccuracy = 0.70 }, output.Path, environment: "drift-baseline"), CancellationToken.None);

        var release = Assert.IsType<ReleaseManifest>(result.Release);
        var path = output.File(DriftBaseline.FileName);
        Assert.Equal(path, release.DriftBaselinePath);
        var baseline = await DriftBaselineFile.ReadAsync(path, CancellationToken.None);
        Assert.Equal(("fashion-mnist", release.Version, DriftBaseline.TrainingRows), (baseline.Model, baseline.Version, baseline.ReferenceSource));
        Assert.Equal(DriftBaselineRecorder.MaxReferenceRows, baseline.ReferenceRows);
        Assert.Contains(baseline.Notes, n => n.Contains($"of the {PipelineRunFixture.TrainImages} rows of the Fashion-MNIST training split"));

        var pixels = Assert.Single(baseline.Quantities, q => q.Kind == DriftQuantityKind.InputMean);
        Assert.Equal(9, pixels.Edges.Count);
        Assert.Equal(1.0, pixels.Fractions.Sum(), 9);
        // Deciles: each bin holds about a tenth of the reference rows (ties in the means can only move a few rows).
        Assert.All(pixels.Fractions, f => Assert.InRange(f, 0.09, 0.11));
        var classes = Assert.Single(baseline.Quantities, q => q.Kind == DriftQuantityKind.PredictedClass);
        Assert.Equal(FashionMnist.ClassNames, classes.Labels);
        Assert.Equal(1.0, classes.Fractions.Sum(), 9);
        // A model above 70 % accuracy predicts every class for some of the training rows.
        Assert.All(classes.Fractions, f => Assert.True(f > 0.01, $"class fraction {f}"));

        var exported = output.File("exported/" + DriftBaseline.FileName);
        Assert.True(await registry.ExportVersionFileAsync(release.Version, DriftBaseline.FileName, exported));
        Assert.Equal(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(exported));
        Assert.Contains(run.Log, l => l.StartsWith("drift baseline: input:") && l.Contains("prediction:class"));
    }

    [Fact]
    public async Task The_baseline_is_the_same_for_the_same_model_data_and_seed()
    {
        var model = run.Exported.OnnxPath;
        var first = await DriftBaselineRecorder.RecordAsync(run.Ort, model, run.Data, "fashion-mnist", "1", CancellationToken.None);
        var second = await DriftBaselineRecorder.RecordAsync(run.Ort, model, run.Data, "fashion-mnist", "1", CancellationToken.None);
        Assert.Equal(DriftBaselineJson.Serialize(first), DriftBaselineJson.Serialize(second));
        var otherSeed = await DriftBaselineRecorder.RecordAsync(run.Ort, model, run.Data with { Seed = 8 }, "fashion-mnist", "1", CancellationToken.None);
        Assert.NotEqual(DriftBaselineJson.Serialize(first), DriftBaselineJson.Serialize(otherSeed));
    }
}
