namespace Pipeline.Gates;

/// <summary>The arithmetic shared by scoring and the parity gates.</summary>
internal static class ClassificationMetrics
{
    /// <summary>Probabilities below this count as this when scoring log loss, as scikit-learn's log_loss did by default.</summary>
    public const double LogLossFloor = 1e-15;

    /// <summary>Index of the largest value, the first one on ties (ONNX ArgMax with select_last_index = 0).</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best]) best = i;
        }

        return best;
    }

    public static int[] ArgMaxRows(float[] probabilities, int classCount)
    {
        var labels = new int[probabilities.Length / classCount];
        for (var row = 0; row < labels.Length; row++)
        {
            labels[row] = ArgMax(probabilities.AsSpan(row * classCount, classCount));
        }

        return labels;
    }

    public static int CountEqual(int[] expected, int[] actual)
    {
        var count = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] == actual[i]) count++;
        }

        return count;
    }

    public static double LogLoss(float[] probabilities, int classCount, int[] labels)
    {
        var sum = 0.0;
        for (var row = 0; row < labels.Length; row++)
        {
            sum -= Math.Log(Math.Max(probabilities[row * classCount + labels[row]], LogLossFloor));
        }

        return sum / labels.Length;
    }

    public static double MaxAbsDifference(float[] expected, float[] actual)
    {
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            // A NaN on either side must fail parity, and Math.Max propagates NaN where a plain comparison would drop it.
            max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
        }

        return max;
    }
}
