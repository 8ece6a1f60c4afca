namespace Pipeline.Gates.Tests.Support;

/// <summary>The straightforward C# computation a linear classifier's outputs are checked against (in double).</summary>
internal static class ReferenceClassifier
{
    public static double[] Logits(float[] features, int rows, float[] weight, float[] bias)
    {
        var classes = bias.Length;
        var inputs = features.Length / rows;
        var logits = new double[rows * classes];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < classes; c++)
            {
                double sum = bias[c];
                for (var i = 0; i < inputs; i++)
                    sum += (double)features[r * inputs + i] * weight[i * classes + c];
                logits[r * classes + c] = sum;
            }
        return logits;
    }

    public static float[] Softmax(double[] logits, int classes)
    {
        var probabilities = new float[logits.Length];
        for (var r = 0; r < logits.Length / classes; r++)
        {
            var row = logits.AsSpan(r * classes, classes);
            var max = row.ToArray().Max();
            var total = 0.0;
            foreach (var logit in row) total += Math.Exp(logit - max);
            for (var c = 0; c < classes; c++)
                probabilities[r * classes + c] = (float)(Math.Exp(row[c] - max) / total);
        }
        return probabilities;
    }

    public static int[] ArgMax(double[] logits, int classes) =>
        Enumerable.Range(0, logits.Length / classes).Select(r =>
        {
            var row = logits.AsSpan(r * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            return best;
        }).ToArray();

    /// <summary>Distance between the largest and second largest logit of each row.</summary>
    public static double TopTwoGap(ReadOnlySpan<double> row)
    {
        var sorted = row.ToArray();
        Array.Sort(sorted);
        return sorted[^1] - sorted[^2];
    }

    public static double LogLoss(float[] probabilities, int classes, int[] labels) =>
        labels.Select((label, r) => -Math.Log(Math.Max(probabilities[r * classes + label], 1e-15))).Average();

    public static double Accuracy(int[] predicted, int[] labels) =>
        predicted.Zip(labels).Count(pair => pair.First == pair.Second) / (double)labels.Length;
}
