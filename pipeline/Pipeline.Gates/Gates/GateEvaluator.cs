namespace Pipeline.Gates;

/// <summary>
/// Applies every gate to every candidate. Each candidate gets, in this order: min-accuracy, max-regression, the
/// drop gate against fp32 (derived candidates only), parity, max-model-size, max-latency-p99.
/// Parity: the fp32 candidate against the trained model's in-process probabilities (|Δp| and identical labels);
/// a derived candidate by label agreement with the fp32 candidate's ONNX outputs, since fp32 is what it was made from.
/// </summary>
public sealed class GateEvaluator
{
    private readonly GateThresholds _thresholds;

    public GateEvaluator(GateThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        thresholds.Validate();
        _thresholds = thresholds;
    }

    /// <param name="trainedModelProbabilities">The trained model's own probabilities for the same test rows, row-major [N, classes];
    /// null only when every candidate is <see cref="CandidateKind.Independent"/>.</param>
    public IReadOnlyList<GateOutcome> Evaluate(IReadOnlyList<CandidateMeasurement> candidates, float[]? trainedModelProbabilities,
        ProductionBaseline production)
    {
        ArgumentNullException.ThrowIfNull(production);
        var fp32 = CandidateSet.RequireFp32(candidates);
        if (fp32 is null)
            return candidates.SelectMany(c => CommonGates(c, production)).ToList();
        ArgumentNullException.ThrowIfNull(trainedModelProbabilities);
        var fp32Predictions = fp32.Predictions;
        if (trainedModelProbabilities.Length != fp32Predictions.Probabilities.Length)
            throw new ArgumentException(
                $"The trained model's probabilities hold {trainedModelProbabilities.Length} values but the fp32 candidate produced " +
                $"{fp32.SampleCount} rows × {fp32Predictions.ClassCount} classes = {fp32Predictions.Probabilities.Length}; " +
                "pass the trained model's probabilities for the same test rows in the same order.", nameof(trainedModelProbabilities));

        var outcomes = new List<GateOutcome>();
        foreach (var candidate in candidates)
        {
            if (candidate.Kind == CandidateKind.Independent)
            {
                outcomes.AddRange(CommonGates(candidate, production));
                continue;
            }

            outcomes.Add(MinAccuracy(candidate));
            outcomes.Add(MaxRegression(candidate, production));
            if (candidate.Kind == CandidateKind.Fp32)
            {
                outcomes.Add(ProbabilityParity(candidate, trainedModelProbabilities));
                outcomes.Add(LabelParity(candidate, ClassificationMetrics.ArgMaxRows(trainedModelProbabilities, fp32Predictions.ClassCount),
                    threshold: 1.0, "label agreement with the trained model"));
            }
            else
            {
                outcomes.Add(Drop(candidate, fp32));
                outcomes.Add(LabelParity(candidate, fp32Predictions.Labels, _thresholds.MinLabelAgreement, $"label agreement with {fp32.Name}"));
            }

            outcomes.AddRange(ResourceGates(candidate));
        }

        return outcomes;
    }

    /// <summary>An independently trained model: accuracy, regression, size and latency (its export parity was proven at export).</summary>
    private IEnumerable<GateOutcome> CommonGates(CandidateMeasurement candidate, ProductionBaseline production) =>
        [MinAccuracy(candidate), MaxRegression(candidate, production), .. ResourceGates(candidate)];

    private IEnumerable<GateOutcome> ResourceGates(CandidateMeasurement candidate) =>
    [
        GateOutcome.AtMost(candidate.Name, GateNames.MaxModelSize, GateUnit.Megabytes, _thresholds.MaxModelMb,
            candidate.SizeMb, "model file size", $"{candidate.SizeBytes:N0} bytes"),
        GateOutcome.AtMost(candidate.Name, GateNames.MaxLatency, GateUnit.Milliseconds, _thresholds.MaxLatencyMs,
            candidate.SingleRowLatency.P99Ms, "batch-1 p99 latency",
            $"p50 {GateFormat.Value(GateUnit.Milliseconds, candidate.SingleRowLatency.P50Ms)} over {candidate.SingleRowLatency.Runs:N0} runs"),
    ];

    private GateOutcome MinAccuracy(CandidateMeasurement candidate) =>
        GateOutcome.AtLeast(candidate.Name, GateNames.MinAccuracy, GateUnit.Fraction, _thresholds.MinAccuracy, candidate.Accuracy,
            "accuracy", $"{candidate.CorrectCount:N0} of {candidate.SampleCount:N0} test samples correct");

    private GateOutcome MaxRegression(CandidateMeasurement candidate, ProductionBaseline production)
    {
        if (production.Model is not { } model)
            return GateOutcome.NothingToCompare(candidate.Name, GateNames.MaxRegression, GateComparison.AtMost, GateUnit.FractionPoints,
                _thresholds.MaxRegression, $"nothing in production for environment {production.Environment} yet, so there is no accuracy to regress from");
        return GateOutcome.AtMost(candidate.Name, GateNames.MaxRegression, GateUnit.FractionPoints, _thresholds.MaxRegression,
            model.Accuracy - candidate.Accuracy,
            $"accuracy loss against {model.Version} in {production.Environment} ({GateFormat.Value(GateUnit.Fraction, model.Accuracy)})",
            $"accuracy {GateFormat.Value(GateUnit.Fraction, candidate.Accuracy)}");
    }

    private GateOutcome Drop(CandidateMeasurement candidate, CandidateMeasurement fp32)
    {
        var gate = candidate.Kind == CandidateKind.Quantized ? GateNames.MaxQuantizationDrop : GateNames.MaxCompressionDrop;
        // From counts: one rounding, so a drop of exactly the threshold is not pushed over it by subtraction noise.
        var drop = (fp32.CorrectCount - candidate.CorrectCount) / (double)candidate.SampleCount;
        return GateOutcome.AtMost(candidate.Name, gate, GateUnit.FractionPoints, _thresholds.MaxQuantizationDrop, drop,
            $"accuracy drop from {fp32.Name} ({GateFormat.Value(GateUnit.Fraction, fp32.Accuracy)})",
            $"accuracy {GateFormat.Value(GateUnit.Fraction, candidate.Accuracy)}");
    }

    private GateOutcome ProbabilityParity(CandidateMeasurement candidate, float[] trainedModelProbabilities) =>
        GateOutcome.AtMost(candidate.Name, GateNames.ProbabilityParity, GateUnit.Probability, _thresholds.MaxParityDelta,
            ClassificationMetrics.MaxAbsDifference(trainedModelProbabilities, candidate.Predictions.Probabilities),
            "largest |Δp| against the trained model", $"over {candidate.Predictions.Probabilities.Length:N0} probabilities");

    private static GateOutcome LabelParity(CandidateMeasurement candidate, int[] expectedLabels, double threshold, string subject)
    {
        var agreeing = ClassificationMetrics.CountEqual(expectedLabels, candidate.Predictions.Labels);
        return GateOutcome.AtLeast(candidate.Name, GateNames.LabelParity, GateUnit.Fraction, threshold,
            agreeing / (double)expectedLabels.Length, subject, $"{expectedLabels.Length - agreeing:N0} of {expectedLabels.Length:N0} labels differ");
    }
}
