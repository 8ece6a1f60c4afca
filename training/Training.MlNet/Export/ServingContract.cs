namespace Training.MlNet;

/// <summary>The output names and batch dimension of every served model, ML.NET or project MLP alike.</summary>
public static class ServingContract
{
    /// <summary>Classification: float [N, C], columns in class_names order.</summary>
    public const string Probabilities = "probabilities";

    /// <summary>Classification: [N], the original label values (string for text labels, int64 for numeric ones).</summary>
    public const string Label = "label";

    /// <summary>Regression: float [N].</summary>
    public const string Value = "value";

    /// <summary>The symbolic batch dimension (ORT reports it as -1).</summary>
    public const string Batch = "N";

    public static IReadOnlyList<string> OutputNames(ModelTask task) =>
        task == ModelTask.Regression ? [Value] : [Probabilities, Label];
}
