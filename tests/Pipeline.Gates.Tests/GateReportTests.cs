using Pipeline.Gates.Tests.Support;
using TestSupport;

namespace Pipeline.Gates.Tests;

public sealed class GateReportTests
{
    private static GateReport SampleReport(ProductionBaseline? production = null) => ReleaseGates.Evaluate(new GateThresholds(),
        production ?? ProductionBaseline.Empty("production"),
        [
            Measurements.Of("fp32", CandidateKind.Fp32, 900, sizeBytes: 1_000_000),
            Measurements.Of("int8|v2", CandidateKind.Quantized, 893, sizeBytes: 270_000, p99Ms: 0.25),
        ],
        Measurements.OneHot(new int[1000]));

    [Fact]
    public void Markdown_has_one_row_per_outcome_with_threshold_measured_signed_margin_and_result()
    {
        var report = SampleReport();
        var lines = GateReportMarkdown.Render(report).Split('\n').Select(line => line.TrimEnd('\r')).ToList();

        Assert.Contains("| candidate | gate | threshold | measured | margin | result |", lines);
        Assert.Contains("| fp32 | min-accuracy | ≥ 88.00% | 90.00% | +2.00 pts | pass |", lines);
        Assert.Contains("| fp32 | max-regression | ≤ 0.50 pts | — | — | pass |", lines);
        Assert.Contains("| fp32 | parity-probabilities | ≤ 1.0E-05 | 0.0E+00 | +1.0E-05 | pass |", lines);
        Assert.Contains("| int8\\|v2 | max-quantization-drop | ≤ 0.50 pts | 0.70 pts | −0.20 pts | **FAIL** |", lines);
        Assert.Contains("| int8\\|v2 | max-latency-p99 | ≤ 5.000 ms | 0.250 ms | +4.750 ms | pass |", lines);
        Assert.Equal(report.Outcomes.Count, lines.Count(line => line.StartsWith("| fp32 | ") || line.StartsWith("| int8\\|v2 | ")) - 2);
        Assert.Contains(lines, line => line.StartsWith("**Decision: ship `fp32`.** fp32: smallest passing candidate (1.000 MB); int8\\|v2 failed max-quantization-drop by 0.20 pts"));
        Assert.Contains("Serving in environment `production`: nothing released yet.", lines);
    }

    [Fact]
    public void Markdown_says_when_nothing_is_released()
    {
        var report = ReleaseGates.Evaluate(new GateThresholds { MinAccuracy = 0.95 }, new ProductionBaseline("staging", new ProductionModel("v7", 0.91)),
            [Measurements.Of("fp32", CandidateKind.Fp32, 900)], Measurements.OneHot(new int[1000]));

        var markdown = GateReportMarkdown.Render(report);

        Assert.Contains("**Decision: nothing released.** No candidate passed every gate, so nothing can be released: fp32 failed min-accuracy by 5.00 pts", markdown);
        Assert.Contains("| fp32 | max-regression | ≤ 0.50 pts | 1.00 pts | −0.50 pts | **FAIL** |", markdown);
        Assert.Contains("Serving in environment `staging`: v7 (91.00%).", markdown);
    }

    [Fact]
    public async Task Json_written_to_disk_reads_back_to_the_same_report()
    {
        using var directory = new TemporaryDirectory();
        var report = SampleReport(new ProductionBaseline("production", new ProductionModel("v3", 0.895)));

        var (jsonPath, markdownPath) = await GateReportFiles.WriteAsync(report, directory.Path);
        var read = await GateReportFiles.ReadJsonAsync(jsonPath);

        Assert.Equal(GateReportJson.Serialize(report), GateReportJson.Serialize(read));
        Assert.Equal(report.Thresholds, read.Thresholds);
        Assert.Equal(report.Production, read.Production);
        Assert.Equal(report.Decision, read.Decision);
        Assert.Equal(report.Outcomes, read.Outcomes);
        Assert.Equal(report.Candidates, read.Candidates);
        Assert.Equal(GateReportMarkdown.Render(report), await File.ReadAllTextAsync(markdownPath));
        Assert.Equal(["gates.json", "gates.md"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Json_uses_the_stable_field_names_and_string_enums()
    {
        var json = GateReportJson.Serialize(SampleReport());

        foreach (var field in new[]
                 {
                     "\"schemaVersion\": 1", "\"thresholds\"", "\"minAccuracy\": 0.88", "\"candidates\"", "\"kind\": \"Quantized\"",
                     "\"sizeBytes\": 270000", "\"singleRowLatency\"", "\"p99Ms\": 0.25", "\"outcomes\"", "\"comparison\": \"AtMost\"",
                     "\"measured\": null", "\"decision\"", "\"winner\": \"fp32\"",
                 })
            Assert.Contains(field, json);
        Assert.DoesNotContain("predictions", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_report_with_a_broken_measurement_still_serializes()
    {
        var broken = Measurements.Of("fp32", CandidateKind.Fp32, 900) with { LogLoss = double.NaN };
        var report = ReleaseGates.Evaluate(new GateThresholds(), ProductionBaseline.Empty("production"), [broken], Measurements.OneHot(new int[1000]));

        var read = GateReportJson.Deserialize(GateReportJson.Serialize(report));

        Assert.True(double.IsNaN(read.Candidates[0].LogLoss));
    }

    [Fact]
    public void A_report_from_a_newer_schema_or_not_a_report_is_refused_with_the_file_named()
    {
        var newer = GateReportJson.Serialize(SampleReport()).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");

        var future = Assert.Throws<InvalidDataException>(() => GateReportJson.Deserialize(newer, "/artifacts/gates.json"));
        var garbage = Assert.Throws<InvalidDataException>(() => GateReportJson.Deserialize("{\"thresholds\": 3}", "/artifacts/gates.json"));

        Assert.Contains("'/artifacts/gates.json' has gate report schema version 2", future.Message);
        Assert.Contains("'/artifacts/gates.json' is not a gate report", garbage.Message);
    }

    [Fact]
    public async Task Rewriting_replaces_the_files_whole()
    {
        using var directory = new TemporaryDirectory();
        var passing = SampleReport();
        var failing = SampleReport(new ProductionBaseline("production", new ProductionModel("v9", 0.99)));

        await GateReportFiles.WriteAsync(passing, directory.Path);
        var (jsonPath, _) = await GateReportFiles.WriteAsync(failing, directory.Path);

        Assert.Null((await GateReportFiles.ReadJsonAsync(jsonPath)).Decision.Winner);
        Assert.Equal(2, Directory.GetFiles(directory.Path).Length);
    }
}
