using Pipeline.Gates.Tests.Support;

namespace Pipeline.Gates.Tests;

public sealed class ReleaseDecisionTests
{
    private static readonly GateThresholds Thresholds = new();

    [Fact]
    public void The_smallest_candidate_passing_every_gate_is_shipped_and_the_others_are_accounted_for()
    {
        var report = Decide(
            Measurements.Of("fp32", CandidateKind.Fp32, 900, sizeBytes: 1_000_000),
            Measurements.Of("int8-per-channel", CandidateKind.Quantized, 898, sizeBytes: 270_000),
            Measurements.Of("pruned", CandidateKind.Compressed, 893, sizeBytes: 150_000));

        Assert.Equal("int8-per-channel", report.Decision.Winner);
        Assert.Equal("int8-per-channel", report.Decision.RequireWinner());
        Assert.Equal(
            "int8-per-channel: smallest passing candidate (0.270 MB, 27% of fp32); fp32 also passed (1.000 MB); " +
            "pruned failed max-compression-drop by 0.20 pts (0.70 pts, needs ≤ 0.50 pts)",
            report.Decision.Explanation);
    }

    [Fact]
    public void Fp32_is_shipped_when_every_smaller_candidate_fails()
    {
        var report = Decide(
            Measurements.Of("fp32", CandidateKind.Fp32, 900, sizeBytes: 1_000_000),
            Measurements.Of("int8", CandidateKind.Quantized, 880, sizeBytes: 270_000));

        Assert.Equal("fp32", report.Decision.Winner);
        Assert.StartsWith("fp32: smallest passing candidate (1.000 MB); int8 failed max-quantization-drop by 1.50 pts", report.Decision.Explanation);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void On_equal_size_the_more_accurate_candidate_wins_whatever_the_order(bool reversed)
    {
        CandidateMeasurement[] derived =
        [
            Measurements.Of("int8-per-tensor", CandidateKind.Quantized, 897, sizeBytes: 270_000),
            Measurements.Of("int8-per-channel", CandidateKind.Quantized, 899, sizeBytes: 270_000),
        ];
        if (reversed) Array.Reverse(derived);

        var report = Decide([Measurements.Of("fp32", CandidateKind.Fp32, 900), .. derived]);

        Assert.Equal("int8-per-channel", report.Decision.Winner);
        Assert.Contains("tied on size with int8-per-tensor, chosen for higher accuracy (89.90% vs 89.70%)", report.Decision.Explanation);
    }

    [Fact]
    public void On_equal_size_and_accuracy_the_first_name_wins()
    {
        var report = Decide(
            Measurements.Of("fp32", CandidateKind.Fp32, 900),
            Measurements.Of("int8-b", CandidateKind.Quantized, 899, sizeBytes: 270_000),
            Measurements.Of("int8-a", CandidateKind.Quantized, 899, sizeBytes: 270_000));

        Assert.Equal("int8-a", report.Decision.Winner);
        Assert.Contains("tied on size and accuracy with int8-b, first by name", report.Decision.Explanation);
    }

    [Fact]
    public void With_no_passing_candidate_there_is_no_winner_and_the_message_names_each_failed_gate_and_margin()
    {
        var report = Decide(
            Measurements.Of("fp32", CandidateKind.Fp32, 868, p99Ms: 5.3),
            Measurements.Of("int8", CandidateKind.Quantized, 860, sizeBytes: 270_000));

        Assert.Null(report.Decision.Winner);
        var error = Assert.Throws<ReleaseGateFailedException>(() => report.Decision.RequireWinner());
        Assert.Equal(
            "No candidate passed every gate, so nothing can be released: " +
            "fp32 failed min-accuracy by 1.20 pts (86.80%, needs ≥ 88.00%), max-latency-p99 by 0.300 ms (5.300 ms, needs ≤ 5.000 ms); " +
            "int8 failed min-accuracy by 2.00 pts (86.00%, needs ≥ 88.00%), max-quantization-drop by 0.30 pts (0.80 pts, needs ≤ 0.50 pts).",
            error.Message);
        Assert.Equal(report.Decision.Explanation, error.Message);
    }

    [Fact]
    public void A_candidate_the_gates_never_saw_cannot_be_shipped()
    {
        var gated = CandidateSummary.From(Measurements.Of("fp32", CandidateKind.Fp32, 900, sizeBytes: 1_000_000));
        var ungated = CandidateSummary.From(Measurements.Of("tiny", CandidateKind.Compressed, 900, sizeBytes: 1000));
        var outcomes = AccuracyGateTests.Evaluate(Thresholds, [Measurements.Of("fp32", CandidateKind.Fp32, 900)]);

        var error = Assert.Throws<ArgumentException>(() => ReleaseDecision.Decide([gated, ungated], outcomes));

        Assert.Contains("Candidate 'tiny' has no gate outcomes", error.Message);
    }

    private static GateReport Decide(params CandidateMeasurement[] candidates) =>
        ReleaseGates.Evaluate(Thresholds, ProductionBaseline.Empty("production"), candidates, Measurements.OneHot(new int[1000]));
}
