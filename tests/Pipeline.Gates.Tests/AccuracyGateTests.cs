using Pipeline.Gates.Tests.Support;

namespace Pipeline.Gates.Tests;

/// <summary>min-accuracy, max-regression and the drop gates, with margins at and around their thresholds.</summary>
public sealed class AccuracyGateTests
{
    private static readonly float[] Trained = Measurements.OneHot(new int[1000]);

    [Theory]
    [InlineData(900, true, 0.02)]
    [InlineData(880, true, 0.0)]
    [InlineData(868, false, -0.012)]
    public void Min_accuracy_margin_is_accuracy_minus_threshold(int correct, bool passed, double margin)
    {
        var outcome = Gate(GateNames.MinAccuracy, new GateThresholds { MinAccuracy = 0.88 }, Measurements.Of("fp32", CandidateKind.Fp32, correct));

        Assert.Equal((passed, GateComparison.AtLeast, 0.88, correct / 1000.0), (outcome.Passed, outcome.Comparison, outcome.Threshold, outcome.Measured));
        Assert.Equal(margin, outcome.Margin!.Value, 1e-12);
    }

    [Fact]
    public void Min_accuracy_explains_in_percent_and_points()
    {
        var failing = Gate(GateNames.MinAccuracy, new(), Measurements.Of("fp32", CandidateKind.Fp32, 868));
        var passing = Gate(GateNames.MinAccuracy, new(), Measurements.Of("fp32", CandidateKind.Fp32, 900));

        Assert.Equal("accuracy 86.80% is below the minimum 88.00% by 1.20 pts (868 of 1,000 test samples correct)", failing.Explanation);
        Assert.Equal("accuracy 90.00% is above the minimum 88.00% by 2.00 pts (900 of 1,000 test samples correct)", passing.Explanation);
    }

    [Fact]
    public void Regression_passes_and_says_so_when_nothing_is_in_production()
    {
        var outcome = Gate(GateNames.MaxRegression, new(), Measurements.Of("fp32", CandidateKind.Fp32, 500), ProductionBaseline.Empty("staging"));

        Assert.True(outcome.Passed);
        Assert.Null(outcome.Measured);
        Assert.Null(outcome.Margin);
        Assert.Equal(0.005, outcome.Threshold);
        Assert.Contains("nothing in production for environment staging yet", outcome.Explanation);
    }

    [Theory]
    [InlineData(897, true, 0.002)]
    [InlineData(895, true, 0.0)]
    [InlineData(893, false, -0.002)]
    [InlineData(920, true, 0.025)]
    public void Regression_margin_is_the_allowance_minus_the_accuracy_lost_against_production(int correct, bool passed, double margin)
    {
        var production = new ProductionBaseline("production", new ProductionModel("v3", 0.9));

        var outcome = Gate(GateNames.MaxRegression, new GateThresholds { MaxRegression = 0.005 },
            Measurements.Of("fp32", CandidateKind.Fp32, correct), production);

        Assert.Equal((passed, GateComparison.AtMost), (outcome.Passed, outcome.Comparison));
        Assert.Equal(0.9 - correct / 1000.0, outcome.Measured!.Value, 1e-12);
        Assert.Equal(margin, outcome.Margin!.Value, 1e-12);
        Assert.Contains("against v3 in production (90.00%)", outcome.Explanation);
    }

    [Fact]
    public void A_failed_regression_says_by_how_much_it_exceeds_the_allowance()
    {
        var production = new ProductionBaseline("production", new ProductionModel("v3", 0.9));

        var outcome = Gate(GateNames.MaxRegression, new(), Measurements.Of("fp32", CandidateKind.Fp32, 893), production);

        Assert.Equal("accuracy loss against v3 in production (90.00%) 0.70 pts exceeds the maximum 0.50 pts by 0.20 pts (accuracy 89.30%)",
            outcome.Explanation);
    }

    [Theory]
    [InlineData(CandidateKind.Quantized, GateNames.MaxQuantizationDrop)]
    [InlineData(CandidateKind.Compressed, GateNames.MaxCompressionDrop)]
    public void Derived_candidates_get_a_drop_gate_against_fp32_and_fp32_gets_none(CandidateKind kind, string gate)
    {
        var outcomes = Evaluate(new GateThresholds(), [Measurements.Of("fp32", CandidateKind.Fp32, 900), Measurements.Of("small", kind, 893)]);

        var drop = Assert.Single(outcomes, o => o.Gate is GateNames.MaxQuantizationDrop or GateNames.MaxCompressionDrop);
        Assert.Equal(("small", gate, false), (drop.Candidate, drop.Gate, drop.Passed));
        Assert.Equal(0.007, drop.Measured!.Value, 1e-12);
        Assert.Equal(-0.002, drop.Margin!.Value, 1e-12);
        Assert.Contains("accuracy drop from fp32 (90.00%) 0.70 pts exceeds the maximum 0.50 pts by 0.20 pts", drop.Explanation);
    }

    [Fact]
    public void A_drop_of_exactly_the_threshold_passes_despite_floating_point_subtraction()
    {
        // 0.9 − 0.895 is 0.0050000000000000044 in doubles; counted drops must not fail at the threshold itself.
        Assert.True(0.9 - 0.895 > 0.005);

        var outcomes = Evaluate(new GateThresholds { MaxQuantizationDrop = 0.005 },
            [Measurements.Of("fp32", CandidateKind.Fp32, 900), Measurements.Of("int8", CandidateKind.Quantized, 895)]);

        var drop = Assert.Single(outcomes, o => o.Gate == GateNames.MaxQuantizationDrop);
        Assert.True(drop.Passed);
        Assert.Equal(0.0, drop.Margin);
        Assert.Contains("meets the maximum 0.50 pts exactly", drop.Explanation);
    }

    [Fact]
    public void A_derived_candidate_more_accurate_than_fp32_passes_with_a_margin_above_the_allowance()
    {
        var outcomes = Evaluate(new GateThresholds(),
            [Measurements.Of("fp32", CandidateKind.Fp32, 900), Measurements.Of("int8", CandidateKind.Quantized, 903)]);

        var drop = Assert.Single(outcomes, o => o.Gate == GateNames.MaxQuantizationDrop);
        Assert.Equal(0.008, drop.Margin!.Value, 1e-12);
    }

    internal static GateOutcome Gate(string gate, GateThresholds thresholds, CandidateMeasurement fp32, ProductionBaseline? production = null) =>
        Assert.Single(Evaluate(thresholds, [fp32], production), o => o.Gate == gate);

    internal static IReadOnlyList<GateOutcome> Evaluate(GateThresholds thresholds, IReadOnlyList<CandidateMeasurement> candidates,
        ProductionBaseline? production = null, float[]? trained = null) =>
        new GateEvaluator(thresholds).Evaluate(candidates, trained ?? Trained, production ?? ProductionBaseline.Empty("production"));
}
