namespace Pipeline.Rollouts.Canary;

/// <summary>Port: sends the given share of a model's traffic to the canary and the rest to the stable version (the local edge's weights, or replica ratios on Kubernetes).</summary>
public interface ICanaryTraffic
{
    /// <summary>Human words for how the split is made, shown once (e.g. "edge weights" or "replica ratio 1:4, approximate").</summary>
    string Describe(int percent);

    Task SetCanaryPercentAsync(int percent, CancellationToken cancellationToken);
}
