using Pipeline.Gates.Tests.Support;

namespace Pipeline.Gates.Tests;

/// <summary>Parity against the trained model and fp32, model size, latency, and the checks on gate inputs.</summary>
public sealed class ParityAndResourceGateTests
{
    private static readonly GateThresholds Defaults = new();

    [Fact]
    public void Fp32_parity_passes_when_probabilities_match_within_the_tolerance_and_labels_are_identical()
    {
        var probabilities = Measurements.OneHot(new int[1000]);
        var trained = (float[])probabilities.Clone();
        trained[3] += 4e-6f;

        var outcomes = AccuracyGateTests.Evaluate(Defaults, [Measurements.Of("fp32", CandidateKind.Fp32, 900)], trained: trained);

        var delta = Assert.Single(outcomes, o => o.Gate == GateNames.ProbabilityParity);
        Assert.True(delta.Passed);
        Assert.Equal(4e-6, delta.Measured!.Value, 1e-9);
        Assert.Equal(6e-6, delta.Margin!.Value, 1e-9);
        var labels = Assert.Single(outcomes, o => o.Gate == GateNames.LabelParity);
        Assert.Equal((true, 1.0, 1.0, 0.0), (labels.Passed, labels.Threshold, labels.Measured, labels.Margin));
    }

    [Fact]
    public void Fp32_parity_fails_on_a_probability_off_by_more_than_the_tolerance()
    {
        var trained = Measurements.OneHot(new int[1000]);
        trained[12] = 0.00003f;

        var delta = Assert.Single(AccuracyGateTests.Evaluate(Defaults, [Measurements.Of("fp32", CandidateKind.Fp32, 900)], trained: trained),
            o => o.Gate == GateNames.ProbabilityParity);

        Assert.False(delta.Passed);
        Assert.Equal(-2e-5, delta.Margin!.Value, 1e-9);
        Assert.StartsWith("largest |Δp| against the trained model 3.0E-05 exceeds the maximum 1.0E-05 by 2.0E-05", delta.Explanation);
    }

    [Fact]
    public void Fp32_parity_fails_when_a_single_label_differs_from_the_trained_model()
    {
        // The trained model picks class 1 on row 0; the fp32 candidate says 0.
        var trained = Measurements.OneHot(Measurements.LabelsDifferingIn(1));

        var labels = Assert.Single(AccuracyGateTests.Evaluate(Defaults, [Measurements.Of("fp32", CandidateKind.Fp32, 900)], trained: trained),
            o => o.Gate == GateNames.LabelParity);

        Assert.False(labels.Passed);
        Assert.Equal(-0.001, labels.Margin!.Value, 1e-12);
        Assert.Equal("label agreement with the trained model 99.90% is below the minimum 100.00% by 0.10 pts (1 of 1,000 labels differ)",
            labels.Explanation);
    }

    [Theory]
    [InlineData(20, true, 0.01)]
    [InlineData(30, true, 0.0)]
    [InlineData(40, false, -0.01)]
    public void Derived_candidates_need_label_agreement_with_fp32(int differing, bool passed, double margin)
    {
        var int8 = Measurements.Of("int8", CandidateKind.Quantized, 900, labels: Measurements.LabelsDifferingIn(differing));

        var outcomes = AccuracyGateTests.Evaluate(Defaults, [Measurements.Of("fp32", CandidateKind.Fp32, 900), int8]);

        var parity = Assert.Single(outcomes, o => o is { Candidate: "int8", Gate: GateNames.LabelParity });
        Assert.Equal((passed, 0.97), (parity.Passed, parity.Threshold));
        Assert.Equal(margin, parity.Margin!.Value, 1e-12);
        Assert.StartsWith("label agreement with fp32", parity.Explanation);
        Assert.DoesNotContain(outcomes, o => o is { Candidate: "int8", Gate: GateNames.ProbabilityParity });
    }

    [Theory]
    [InlineData(4_000_000, true, 1.0)]
    [InlineData(5_000_000, true, 0.0)]
    [InlineData(6_500_000, false, -1.5)]
    public void Model_size_is_gated_in_megabytes_of_a_million_bytes(long sizeBytes, bool passed, double margin)
    {
        var outcome = AccuracyGateTests.Gate(GateNames.MaxModelSize, Defaults, Measurements.Of("fp32", CandidateKind.Fp32, 900, sizeBytes: sizeBytes));

        Assert.Equal((passed, 5.0, sizeBytes / 1e6), (outcome.Passed, outcome.Threshold, outcome.Measured));
        Assert.Equal(margin, outcome.Margin!.Value, 1e-12);
    }

    [Theory]
    [InlineData(4.0, true, 1.0)]
    [InlineData(6.25, false, -1.25)]
    public void Latency_gate_uses_the_batch_1_p99(double p99Ms, bool passed, double margin)
    {
        var outcome = AccuracyGateTests.Gate(GateNames.MaxLatency, Defaults, Measurements.Of("fp32", CandidateKind.Fp32, 900, p99Ms: p99Ms));

        Assert.Equal((passed, p99Ms), (outcome.Passed, outcome.Measured));
        Assert.Equal(margin, outcome.Margin!.Value, 1e-12);
        Assert.Contains("batch-1 p99 latency", outcome.Explanation);
    }

    [Fact]
    public void Each_candidate_gets_every_applicable_gate_in_a_fixed_order()
    {
        var outcomes = AccuracyGateTests.Evaluate(Defaults,
            [Measurements.Of("fp32", CandidateKind.Fp32, 900), Measurements.Of("pruned", CandidateKind.Compressed, 900)]);

        Assert.Equal(
            [
                "fp32 min-accuracy", "fp32 max-regression", "fp32 parity-probabilities", "fp32 parity-labels", "fp32 max-model-size",
                "fp32 max-latency-p99", "pruned min-accuracy", "pruned max-regression", "pruned max-compression-drop", "pruned parity-labels",
                "pruned max-model-size", "pruned max-latency-p99",
            ],
            outcomes.Select(o => $"{o.Candidate} {o.Gate}"));
    }

    [Fact]
    public void Gating_without_exactly_one_fp32_candidate_is_refused()
    {
        var none = Assert.Throws<ArgumentException>(() =>
            AccuracyGateTests.Evaluate(Defaults, [Measurements.Of("int8", CandidateKind.Quantized, 900)]));
        var two = Assert.Throws<ArgumentException>(() =>
            AccuracyGateTests.Evaluate(Defaults, [Measurements.Of("a", CandidateKind.Fp32, 900), Measurements.Of("b", CandidateKind.Fp32, 900)]));

        Assert.Contains("No candidate is of kind Fp32", none.Message);
        Assert.Contains("'a', 'b' are all of kind Fp32", two.Message);
    }

    [Fact]
    public void Inconsistent_inputs_are_refused_with_what_differs()
    {
        var fp32 = Measurements.Of("fp32", CandidateKind.Fp32, 900);

        var duplicate = Assert.Throws<ArgumentException>(() =>
            AccuracyGateTests.Evaluate(Defaults, [fp32, Measurements.Of("fp32", CandidateKind.Quantized, 900)]));
        var otherTestSet = Assert.Throws<ArgumentException>(() =>
            AccuracyGateTests.Evaluate(Defaults, [fp32, Measurements.Of("int8", CandidateKind.Quantized, 450, samples: 500)]));
        var shortTrained = Assert.Throws<ArgumentException>(() =>
            AccuracyGateTests.Evaluate(Defaults, [fp32], trained: new float[9990]));

        Assert.Contains("Two candidates are named 'fp32'", duplicate.Message);
        Assert.Contains("'int8' was measured on 500 samples", otherTestSet.Message);
        Assert.Contains("hold 9990 values but the fp32 candidate produced 1000 rows × 10 classes = 10000", shortTrained.Message);
    }

    [Theory]
    [InlineData(nameof(GateThresholds.MinAccuracy), "not a percentage")]
    [InlineData(nameof(GateThresholds.MaxLatencyMs), "must be a positive number")]
    public void Thresholds_outside_their_meaningful_range_are_refused_by_name(string property, string message)
    {
        var thresholds = property == nameof(GateThresholds.MinAccuracy) ? new GateThresholds { MinAccuracy = 88 } : new GateThresholds { MaxLatencyMs = 0 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GateEvaluator(thresholds));

        Assert.Equal(property, error.ParamName);
        Assert.Contains(message, error.Message);
    }
}
