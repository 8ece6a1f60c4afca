namespace Training.Metrics;

/// <summary>Precision, recall and F1 of one class (0 where the denominator is 0).</summary>
public sealed record ClassMetrics(int Label, string Name, int Support, int Predicted, double Precision, double Recall, double F1);

/// <summary>
/// Classification quality on one data split. <see cref="ConfusionMatrix"/> rows are actual classes, columns
/// predicted classes. Macro averages weigh classes equally; the weighted F1 weighs them by support.
/// <see cref="LogLoss"/> is the mean negative log probability of the true class, probabilities clipped to
/// [1e-7, 1 - 1e-7].
/// </summary>
public sealed record MetricsReport(
    int SampleCount,
    double Accuracy,
    double LogLoss,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    double WeightedF1,
    IReadOnlyList<ClassMetrics> Classes,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix);

public static class ClassificationMetrics
{
    public const double LogLossClip = 1e-7;

    /// <summary>Metrics of predicted class probabilities (row-major, one row per sample) against true labels;
    /// the prediction is the most probable class.</summary>
    public static MetricsReport Evaluate(IReadOnlyList<string> classNames, ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities)
    {
        var classes = classNames.Count;
        if (probabilities.Length != (long)labels.Length * classes)
            throw new ArgumentException($"{labels.Length} samples of {classes} classes need {(long)labels.Length * classes} probabilities, got {probabilities.Length}.", nameof(probabilities));
        if (labels.Length == 0) throw new ArgumentException("Cannot compute metrics of zero samples.", nameof(labels));
        var predictions = Models.MlpPredictor.ArgMax(probabilities, classes);
        return FromPredictions(classNames, labels, predictions, LogLoss(labels, probabilities, classes));
    }

    /// <summary>Metrics of hard predictions; <paramref name="logLoss"/> is passed through (NaN when unknown).</summary>
    public static MetricsReport FromPredictions(IReadOnlyList<string> classNames, ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, double logLoss = double.NaN)
    {
        var matrix = ConfusionMatrix.From(labels, predictions, classNames.Count);
        var perClass = new ClassMetrics[classNames.Count];
        for (var c = 0; c < perClass.Length; c++)
        {
            var tp = matrix.TruePositives(c);
            var support = matrix.Support(c);
            var predicted = matrix.PredictedCount(c);
            var precision = SafeDivide(tp, predicted);
            var recall = SafeDivide(tp, support);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassMetrics(c, classNames[c], support, predicted, precision, recall, f1);
        }
        var total = matrix.Total;
        return new MetricsReport(
            total,
            SafeDivide(matrix.Correct, total),
            logLoss,
            perClass.Average(m => m.Precision),
            perClass.Average(m => m.Recall),
            perClass.Average(m => m.F1),
            perClass.Sum(m => m.F1 * m.Support) / total,
            perClass,
            matrix.ToRows());
    }

    /// <summary>Mean of -log(clip(p[true class])) over the samples.</summary>
    public static double LogLoss(ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, int classes)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
            sum -= Math.Log(Math.Clamp(probabilities[i * classes + labels[i]], LogLossClip, 1 - LogLossClip));
        return sum / labels.Length;
    }

    private static double SafeDivide(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
