namespace Pipeline.ModelRegistry;

/// <summary>One quality gate checked by the Validate stage: what was required and what was measured.</summary>
/// <param name="Gate">The gate's name, e.g. <c>accuracy</c> or <c>p99-latency-ms</c>.</param>
/// <param name="Threshold">The value the measurement was held against.</param>
/// <param name="Measured">The measured value.</param>
/// <param name="Passed">Whether the gate passed. The registry records the verdict as given, because only the gate knows its direction.</param>
public sealed record GateResult(string Gate, double Threshold, double Measured, bool Passed);
