using Training.MlNet;

namespace Pipeline.Stages;

/// <summary>
/// Which model a run ships and where its data lives: the definition picked with <c>--model</c>, the files Setup
/// fetched, and the seed of its train/test split. Every stage that needs test rows loads them through this, so the
/// gates, the smoke test and the load test all use the same rows.
/// </summary>
public sealed record ModelSource(IModelDefinition Definition, ModelDataFiles Files, int Seed)
{
    public string Name => Definition.Name;

    /// <summary>
    /// Refuses a model whose task the release gates cannot measure yet, before anything is trained: the gates measure
    /// classifiers (accuracy, log loss, regression against production); a regression model needs RMSE and R² gates.
    /// </summary>
    public void RequireGatedTask()
    {
        if (Definition.Task != ModelTask.MulticlassClassification)
            throw new NotSupportedException(
                $"Model '{Name}' is a {Definition.Task} model, but the release gates measure multiclass classifiers only " +
                "(accuracy, log loss, label agreement). Declare it as MulticlassClassification (a binary problem with two classes works as one), " +
                "or add RMSE/R² gates to Pipeline.Gates before shipping a regression model.");
    }

    /// <summary>The Fashion-MNIST model with its data in <paramref name="directory"/>: what the MLP family ships.</summary>
    public static ModelSource FashionMnist(string directory, int seed = 42) =>
        new(ModelCatalog.Discover().Get(ModelCatalog.DefaultModel), new ModelDataFiles(directory) { FashionMnistDirectory = directory }, seed);
}
