namespace Training.Metrics;

/// <summary>Counts of (actual, predicted) class pairs: row = actual class, column = predicted class.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[] _counts;

    public ConfusionMatrix(int classCount)
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), $"Class count must be positive, got {classCount}.");
        ClassCount = classCount;
        _counts = new int[classCount * classCount];
    }

    public static ConfusionMatrix From(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        if (actual.Length != predicted.Length)
            throw new ArgumentException($"{actual.Length} labels but {predicted.Length} predictions.", nameof(predicted));
        var matrix = new ConfusionMatrix(classCount);
        for (var i = 0; i < actual.Length; i++) matrix.Add(actual[i], predicted[i]);
        return matrix;
    }

    public int ClassCount { get; }
    public int this[int actual, int predicted] => _counts[actual * ClassCount + predicted];
    public int Total { get; private set; }

    public void Add(int actual, int predicted)
    {
        if ((uint)actual >= (uint)ClassCount || (uint)predicted >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(actual), $"Classes must be in 0..{ClassCount - 1}, got actual {actual}, predicted {predicted}.");
        _counts[actual * ClassCount + predicted]++;
        Total++;
    }

    public int TruePositives(int c) => this[c, c];
    /// <summary>Samples of class <paramref name="c"/> (row sum).</summary>
    public int Support(int c) => Enumerable.Range(0, ClassCount).Sum(p => this[c, p]);
    /// <summary>Samples predicted as <paramref name="c"/> (column sum).</summary>
    public int PredictedCount(int c) => Enumerable.Range(0, ClassCount).Sum(a => this[a, c]);
    public int Correct => Enumerable.Range(0, ClassCount).Sum(TruePositives);

    public int[][] ToRows() => Enumerable.Range(0, ClassCount).Select(a => Enumerable.Range(0, ClassCount).Select(p => this[a, p]).ToArray()).ToArray();
}
