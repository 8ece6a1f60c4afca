namespace Pipeline.Gates;

/// <summary>
/// The model serving the target environment now. <see cref="Accuracy"/> must be measured on the same held-out test
/// set as the candidates (re-measure the production file with <see cref="OnnxModelEvaluator"/> when in doubt),
/// or the regression gate compares different things.
/// </summary>
public sealed record ProductionModel(string Version, double Accuracy);

/// <summary>What the regression gate compares against; <see cref="Model"/> is null when nothing was released there yet.</summary>
public sealed record ProductionBaseline(string Environment, ProductionModel? Model = null)
{
    public static ProductionBaseline Empty(string environment) => new(environment);
}
