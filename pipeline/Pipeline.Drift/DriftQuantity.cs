namespace Pipeline.Drift;

/// <summary>One quantity whose distribution is watched for drift: its bins and the reference fraction of rows in each.</summary>
/// <param name="Name">"input:{input}:mean" or "prediction:class"; the <c>quantity</c> label of the server's drift metrics.</param>
/// <param name="Input">The model input a numeric quantity is computed from; null for the predicted class.</param>
/// <param name="Edges">Numeric quantities: K−1 non-decreasing bin edges (bin 0 is below Edges[0], bin K−1 at or above the last edge).</param>
/// <param name="Labels">Predicted class: the class labels, one bin each, in class_names order.</param>
/// <param name="Fractions">Reference fraction of rows per bin; sums to 1.</param>
public sealed record DriftQuantity(
    string Name,
    DriftQuantityKind Kind,
    string? Input,
    IReadOnlyList<double> Edges,
    IReadOnlyList<string> Labels,
    IReadOnlyList<double> Fractions)
{
    public const string PredictedClassName = "prediction:class";

    public int BinCount => Kind == DriftQuantityKind.PredictedClass ? Labels.Count : Edges.Count + 1;

    public static string InputMeanName(string input) => $"input:{input}:mean";

    /// <summary>The bin of a row's numeric value, the same way for the server and the baseline builder.</summary>
    public int BinOf(double value) => DriftBinning.NumericBin(Edges, value);
}
