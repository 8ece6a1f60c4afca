namespace Pipeline.Gates;

/// <summary>The gate names written to gates.json, gates.md and the model registry.</summary>
public static class GateNames
{
    public const string MinAccuracy = "min-accuracy";
    public const string MaxRegression = "max-regression";
    public const string MaxQuantizationDrop = "max-quantization-drop";
    public const string MaxCompressionDrop = "max-compression-drop";

    /// <summary>fp32 only: largest |Δp| against the trained model's own probabilities.</summary>
    public const string ProbabilityParity = "parity-probabilities";

    /// <summary>Label agreement: fp32 with the trained model (must be identical), derived candidates with fp32.</summary>
    public const string LabelParity = "parity-labels";

    public const string MaxModelSize = "max-model-size";
    public const string MaxLatency = "max-latency-p99";
}
