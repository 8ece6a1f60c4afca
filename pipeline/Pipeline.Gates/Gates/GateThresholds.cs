namespace Pipeline.Gates;

/// <summary>
/// The release thresholds. Accuracies, drops and agreements are fractions (0.005 = 0.5 percentage points).
/// <see cref="MaxQuantizationDrop"/> bounds the accuracy lost by every candidate derived from the fp32 export:
/// int8 ones under the gate <c>max-quantization-drop</c>, pruned or distilled ones under <c>max-compression-drop</c>,
/// so no way of shrinking the model may lose more than quantization is allowed to.
/// </summary>
public sealed record GateThresholds
{
    public double MinAccuracy { get; init; } = 0.88;

    /// <summary>Largest accuracy loss allowed against the model now in production for the target environment.</summary>
    public double MaxRegression { get; init; } = 0.005;

    /// <summary>Largest accuracy loss allowed for a quantized or compressed candidate against the fp32 candidate.</summary>
    public double MaxQuantizationDrop { get; init; } = 0.005;

    /// <summary>Largest |Δ probability| between the fp32 ONNX model and the trained model on any test row and class.</summary>
    public double MaxParityDelta { get; init; } = 1e-5;

    /// <summary>Smallest share of test rows where a quantized or compressed candidate predicts the fp32 model's label.</summary>
    public double MinLabelAgreement { get; init; } = 0.97;

    /// <summary>Largest model file, in MB of 1,000,000 bytes.</summary>
    public double MaxModelMb { get; init; } = 5.0;

    /// <summary>Largest batch-1 p99 latency, in milliseconds.</summary>
    public double MaxLatencyMs { get; init; } = 5.0;

    /// <summary>Throws, naming the threshold, when one is outside the range it can mean anything in.</summary>
    public void Validate()
    {
        RequireFraction(MinAccuracy, nameof(MinAccuracy), "0.88");
        RequireFraction(MaxRegression, nameof(MaxRegression), "0.005");
        RequireFraction(MaxQuantizationDrop, nameof(MaxQuantizationDrop), "0.005");
        RequireFraction(MinLabelAgreement, nameof(MinLabelAgreement), "0.97");
        RequirePositive(MaxParityDelta, nameof(MaxParityDelta), "1e-5");
        RequirePositive(MaxModelMb, nameof(MaxModelMb), "5.0");
        RequirePositive(MaxLatencyMs, nameof(MaxLatencyMs), "5.0");
    }

    private static void RequireFraction(double value, string name, string example)
    {
        if (!(value is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(name, value,
                $"Gate threshold {name} is {value}; it is a fraction between 0 and 1 (e.g. {example}, not a percentage).");
    }

    private static void RequirePositive(double value, string name, string example)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"Gate threshold {name} is {value}; it must be a positive number (e.g. {example}).");
    }
}
