using Pipeline.Gates;
using Pipeline.ModelRegistry;
using Pipeline.OnnxRuntime;
using Pipeline.Stages;
using TestSupport;

namespace Pipeline.Stages.Tests;

[Collection(PipelineRunCollection.Name)]
public sealed class QuantizeAndValidateTests(PipelineRunFixture run)
{
    [Fact]
    public async Task Every_int8_variant_passes_the_checker_is_a_quarter_of_the_size_and_keeps_accuracy_on_real_data()
    {
        var fp32 = run.Quantized.Measurements.Single(m => m.Kind == CandidateKind.Fp32);
        Assert.Equal(5, run.Quantized.Measurements.Count);
        foreach (var int8 in run.Quantized.Measurements.Where(m => m.Kind == CandidateKind.Quantized))
        {
            await OnnxChecker.AssertValidAsync(int8.Path);
            Assert.InRange((double)int8.SizeBytes / fp32.SizeBytes, 0.2, 0.35);
            Assert.True(fp32.Accuracy - int8.Accuracy <= 0.01, $"{int8.Name}: {int8.Accuracy:P2} vs fp32 {fp32.Accuracy:P2}");
        }
    }

    [Fact]
    public void The_default_int8_file_is_the_chosen_method_and_the_report_lists_every_model()
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.ModelDirectory, QuantizationVariants.FileName(QuantizationVariant.DynamicPerChannel))),
            File.ReadAllBytes(run.Quantized.DefaultModelPath));
        var report = File.ReadAllText(run.Quantized.ReportPath);
        foreach (var m in run.Quantized.Measurements)
            Assert.Contains($"| {m.Name}", report.Replace("**", ""));
        Assert.Contains("accuracy drop ≤ 0.3 pts", report);
    }

    [Fact]
    public void Every_int8_variant_computes_the_same_on_cpus_without_vnni_and_the_report_says_on_what_it_was_measured()
    {
        foreach (var int8 in run.Quantized.Measurements.Where(m => m.Kind == CandidateKind.Quantized))
        {
            var saturation = Pipeline.Quantization.U8S8Saturation.Analyze(Pipeline.Onnx.OnnxModelFile.Read(int8.Path));
            Assert.False(saturation.CanSaturate, $"{int8.Name}: {saturation.Describe()}");
        }
        var report = File.ReadAllText(run.Quantized.ReportPath);
        Assert.Contains($"Measured on {CpuFeatures.Detect().Describe()}.", report);
        Assert.Contains("AVX-512 without VNNI compute the same integers", report);
        Assert.DoesNotContain("can saturate", report);
    }

    [Fact]
    public void Dynamic_int8_graphs_have_the_fusable_operator_chain_and_no_float_weights()
    {
        var model = Pipeline.Onnx.OnnxModelFile.Read(run.Quantized.DefaultModelPath);
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        Assert.Equal(2, ops.Count(o => o == "MatMulInteger"));
        Assert.Equal(2, ops.Count(o => o == "DynamicQuantizeLinear"));
        Assert.DoesNotContain("MatMul", ops);
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name.EndsWith("weight", StringComparison.Ordinal) && t.DataType == 1);
    }

    [Fact]
    public async Task Validate_registers_the_smallest_passing_model_and_records_why()
    {
        using var output = new TemporaryDirectory();
        using var registry = run.OpenRegistry();
        var result = await new ValidateStage(run.Ort, registry, run.Log.Add, PipelineRunFixture.FastEvaluation)
            .RunAsync(run.ValidateRequest(new GateThresholds { MinAccuracy = 0.70 }, output.Path, environment: "validate-pass"), CancellationToken.None);

        var release = Assert.IsType<ReleaseManifest>(result.Release);
        var smallestPassing = result.Report.Candidates
            .Where(c => result.Report.OutcomesFor(c.Name).All(o => o.Passed)).MinBy(c => c.SizeBytes)!;
        Assert.Equal(smallestPassing.SizeBytes, result.Report.Candidates.Single(c => c.Name == release.Candidate).SizeBytes);
        var version = await registry.GetVersionAsync(release.Version);
        Assert.Equal(release.Sha256, version.Sha256);
        Assert.True(version.IsDeployable);
        Assert.Contains(version.Gates, g => g.Gate == GateNames.MinAccuracy && g.Passed);
        Assert.True(File.Exists(Path.Combine(output.Path, GateReportFiles.JsonFileName)));
        Assert.Contains("| min-accuracy |", File.ReadAllText(result.MarkdownPath));
        Assert.Equal(release, await ReleaseManifest.ReadAsync(Path.Combine(output.Path, ReleaseManifest.FileName), CancellationToken.None));

        // The machine that measured is on record in gates.json and in the registry entry.
        var machine = CpuFeatures.Detect();
        var written = GateReportJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(output.Path, GateReportFiles.JsonFileName)));
        Assert.Equal(machine, written.MeasuredOn);
        Assert.Contains(machine.Int8Kernel, File.ReadAllText(result.MarkdownPath));
        Assert.Equal(machine.ModelName, version.MeasuredOn["cpu"]);
        Assert.Equal(string.Join(' ', machine.Flags), version.MeasuredOn["cpu_flags"]);
        Assert.Equal(machine.Int8Kernel, version.MeasuredOn["int8_kernel"]);
    }

    [Fact]
    public async Task Validating_the_same_candidates_again_registers_no_new_version_though_latencies_are_measured_anew()
    {
        using var output = new TemporaryDirectory();
        using var registry = run.OpenRegistry();
        var stage = new ValidateStage(run.Ort, registry, run.Log.Add, PipelineRunFixture.FastEvaluation);
        // A latency bound no busy test machine reaches: the verdicts must not change between the runs, only the measurements.
        var thresholds = new GateThresholds { MinAccuracy = 0.70, MaxLatencyMs = 1000 };
        var first = await stage.RunAsync(run.ValidateRequest(thresholds, output.Path, "rerun"), CancellationToken.None);
        var versions = await registry.ListVersionsAsync();

        var second = await stage.RunAsync(run.ValidateRequest(thresholds, output.Path, "rerun"), CancellationToken.None);

        Assert.Equal(first.Release!.Version, second.Release!.Version);
        Assert.Equal(first.Release.Sha256, second.Release.Sha256);
        Assert.Equal(versions.Select(v => v.VersionId), (await registry.ListVersionsAsync()).Select(v => v.VersionId));
        // What made every rerun a new version before: the latency gate measures again and never gives the same figure.
        Assert.NotEqual(
            first.Report.Outcomes.Where(o => o.Gate == GateNames.MaxLatency).Select(o => o.Measured),
            second.Report.Outcomes.Where(o => o.Gate == GateNames.MaxLatency).Select(o => o.Measured));
    }

    [Fact]
    public async Task Validate_with_an_unreachable_accuracy_registers_nothing_and_names_the_gate()
    {
        using var output = new TemporaryDirectory();
        using var registry = run.OpenRegistry();
        var before = (await registry.ListVersionsAsync()).Count;

        var result = await new ValidateStage(run.Ort, registry, run.Log.Add, PipelineRunFixture.FastEvaluation)
            .RunAsync(run.ValidateRequest(new GateThresholds { MinAccuracy = 0.99 }, output.Path), CancellationToken.None);

        Assert.Null(result.Release);
        Assert.Equal(before, (await registry.ListVersionsAsync()).Count);
        var error = Assert.Throws<ReleaseGateFailedException>(() => result.Report.Decision.RequireWinner());
        Assert.Contains("min-accuracy", error.Message);
        Assert.False(File.Exists(Path.Combine(output.Path, ReleaseManifest.FileName)));
    }

    [Fact]
    public async Task The_regression_gate_compares_with_the_model_in_production()
    {
        using var output = new TemporaryDirectory();
        using var registry = run.OpenRegistry();
        var stage = new ValidateStage(run.Ort, registry, run.Log.Add, PipelineRunFixture.FastEvaluation);
        var first = await stage.RunAsync(run.ValidateRequest(new GateThresholds { MinAccuracy = 0.70 }, output.Path, "regression"), CancellationToken.None);
        Assert.Contains(first.Report.Outcomes, o => o.Gate == GateNames.MaxRegression && o.Passed && o.Explanation.Contains("nothing in production"));

        // Put the most accurate candidate in production; with no allowance, every less accurate candidate regresses.
        var best = first.Report.Candidates.MaxBy(c => c.Accuracy)!;
        Assert.Contains(first.Report.Candidates, c => c.Accuracy < best.Accuracy);
        var production = await registry.RegisterAsync(new ModelRegistration
        {
            ModelName = "fashion-mnist",
            ModelPath = best.Path,
            Gates = [new GateResult(GateNames.MinAccuracy, 0.70, best.Accuracy, true)],
            Labels = new Dictionary<string, string> { ["candidate"] = best.Name },
        });
        await registry.PromoteAsync(new ReleaseTarget("regression") { Model = "fashion-mnist" }, production.VersionId, "test", null);

        var second = await stage.RunAsync(run.ValidateRequest(new GateThresholds { MinAccuracy = 0.70, MaxRegression = 0 }, output.Path, "regression"),
            CancellationToken.None);

        Assert.Equal(production.VersionId, second.Report.Production.Model?.Version);
        Assert.Equal(best.Accuracy, second.Report.Production.Model!.Accuracy, 12);
        foreach (var candidate in second.Report.Candidates)
        {
            var gate = second.Report.Outcomes.Single(o => o.Candidate == candidate.Name && o.Gate == GateNames.MaxRegression);
            Assert.Equal(candidate.Accuracy >= best.Accuracy, gate.Passed);
        }
    }
}
