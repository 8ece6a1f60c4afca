namespace Pipeline.Gates;

/// <summary>How <see cref="OnnxModelEvaluator"/> runs a candidate. Defaults fit the exported Fashion-MNIST classifiers.</summary>
public sealed record EvaluationOptions
{
    public string InputName { get; init; } = "input";

    public string ProbabilitiesOutput { get; init; } = "probabilities";

    public string LabelOutput { get; init; } = "label";

    /// <summary>Rows per Run while scoring the whole test set.</summary>
    public int ScoringBatchSize { get; init; } = 256;

    /// <summary>Untimed runs before each latency series, so lazy allocations and cold caches are not measured.</summary>
    public int WarmupRuns { get; init; } = 50;

    /// <summary>Timed batch-1 runs. p99 by nearest rank needs at least 100 to mean anything; 1000 keeps it stable.</summary>
    public int LatencyRuns { get; init; } = 1000;

    public int ThroughputBatchSize { get; init; } = 64;

    public int ThroughputRuns { get; init; } = 200;

    internal void Validate()
    {
        RequireName(InputName, nameof(InputName));
        RequireName(ProbabilitiesOutput, nameof(ProbabilitiesOutput));
        RequireName(LabelOutput, nameof(LabelOutput));
        RequirePositive(ScoringBatchSize, nameof(ScoringBatchSize));
        RequirePositive(LatencyRuns, nameof(LatencyRuns));
        RequirePositive(ThroughputBatchSize, nameof(ThroughputBatchSize));
        RequirePositive(ThroughputRuns, nameof(ThroughputRuns));
        if (WarmupRuns < 0)
            throw new ArgumentOutOfRangeException(nameof(WarmupRuns), WarmupRuns, $"{nameof(EvaluationOptions)}.{nameof(WarmupRuns)} must be 0 or more.");
    }

    private static void RequireName(string value, string property)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{nameof(EvaluationOptions)}.{property} must name a model input or output.", property);
    }

    private static void RequirePositive(int value, string property)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(property, value, $"{nameof(EvaluationOptions)}.{property} must be at least 1.");
    }
}
