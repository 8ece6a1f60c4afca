using Microsoft.ML;

namespace Training.MlNet;

/// <summary>
/// One ML.NET pipeline a model can ship: the whole estimator chain from the source columns to the trainer (with
/// the label mapped to a key for classifiers). Every candidate meets the same gates.
/// </summary>
/// <param name="Name">Short unique name in reports and the registry, e.g. "lightgbm".</param>
/// <param name="Build">Builds the chain; called once per training run with that run's seeded context.</param>
/// <param name="OptIn">True for a candidate too slow to train by default; <c>--candidates</c> names it to include it.</param>
public sealed record MlNetCandidate(string Name, Func<MLContext, IEstimator<ITransformer>> Build, bool OptIn = false)
{
    /// <summary>The key column a classifier's chain maps the truth to and trains on; evaluation reads it.</summary>
    public const string KeyLabelColumn = "Label";
}
