namespace Pipeline.Gates;

/// <summary>The model serving the target environment now, with its accuracy on the same held-out test set.</summary>
public sealed record ProductionModel(string Version, double Accuracy);

/// <summary>What the regression gate compares against; <see cref="Model"/> is null when nothing was released there yet.</summary>
public sealed record ProductionBaseline(string Environment, ProductionModel? Model = null)
{
    public static ProductionBaseline Empty(string environment) => new(environment);
}
