using Pipeline.Gates.Tests.Support;

namespace Pipeline.Gates.Tests;

/// <summary>Independently trained candidates (ML.NET exports) meet accuracy, regression, size and latency gates, with or without an fp32 MLP beside them.</summary>
public sealed class IndependentCandidateGateTests
{
    private static readonly GateThresholds Thresholds = new() { MinAccuracy = 0.9, MaxRegression = 0.01, MaxModelMb = 5, MaxLatencyMs = 10 };

    [Fact]
    public void Without_an_fp32_export_each_candidate_gets_the_common_gates_and_no_parity_or_drop_gate()
    {
        var sdca = Measurements.Of("sdca", CandidateKind.Independent, correct: 950, sizeBytes: 4_000);
        var lightgbm = Measurements.Of("lightgbm", CandidateKind.Independent, correct: 980, sizeBytes: 90_000);
        var production = new ProductionBaseline("penguins in local", new ProductionModel("1.0.1", 0.97));

        var report = ReleaseGates.Evaluate(Thresholds, production, [sdca, lightgbm], trainedModelProbabilities: null);

        Assert.Equal([GateNames.MinAccuracy, GateNames.MaxRegression, GateNames.MaxModelSize, GateNames.MaxLatency],
            report.OutcomesFor("sdca").Select(o => o.Gate));
        // sdca is smaller but loses 2 points against production; lightgbm ships.
        Assert.False(report.OutcomesFor("sdca").Single(o => o.Gate == GateNames.MaxRegression).Passed);
        Assert.Equal("lightgbm", report.Decision.Winner);
    }

    [Fact]
    public void Beside_the_mlp_family_an_independent_candidate_is_not_compared_with_fp32()
    {
        var fp32 = Measurements.Of("fp32", CandidateKind.Fp32, correct: 900, labels: Measurements.LabelsDifferingIn(0));
        // Its labels agree with fp32 on no row at all: a parity gate against fp32 would fail it.
        var lightgbm = Measurements.Of("lightgbm", CandidateKind.Independent, correct: 910, labels: Measurements.LabelsDifferingIn(1000));

        var report = ReleaseGates.Evaluate(Thresholds, ProductionBaseline.Empty("local"), [fp32, lightgbm], fp32.Predictions.Probabilities);

        Assert.DoesNotContain(report.OutcomesFor("lightgbm"), o => o.Gate is GateNames.LabelParity or GateNames.MaxQuantizationDrop or GateNames.MaxCompressionDrop);
        Assert.All(report.OutcomesFor("lightgbm"), o => Assert.True(o.Passed, o.Gate));
    }

    [Fact]
    public void A_quantized_candidate_without_its_fp32_reference_is_still_refused()
    {
        var int8 = Measurements.Of("int8", CandidateKind.Quantized, correct: 900);
        var lightgbm = Measurements.Of("lightgbm", CandidateKind.Independent, correct: 910);

        var error = Assert.Throws<ArgumentException>(() => ReleaseGates.Evaluate(Thresholds, ProductionBaseline.Empty("local"), [int8, lightgbm], null));

        Assert.Contains("No candidate is of kind Fp32", error.Message);
    }
}
