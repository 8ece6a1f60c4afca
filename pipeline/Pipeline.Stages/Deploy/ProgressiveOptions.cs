using Pipeline.OnnxRuntime;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>What a local canary or A/B test needs besides the deployment: where versions are measured, and the synthetic traffic (requests per second; 0 sends none).</summary>
public sealed record ProgressiveOptions(IVersionMetrics Metrics, OrtEnvironment Ort, double LoadRequestsPerSecond);
