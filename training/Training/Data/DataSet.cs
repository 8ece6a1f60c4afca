namespace Training.Data;

/// <summary>
/// <see cref="Count"/> samples of <see cref="FeatureCount"/> raw float features (row-major; for images the pixel
/// values 0..255, normalization belongs to the model) with integer labels 0..ClassCount-1.
/// <see cref="Sources"/> are the files the samples came from, carried along so a trained model records its lineage.
/// </summary>
public sealed class DataSet
{
    private readonly float[] _features;
    private readonly int[] _labels;

    public DataSet(float[] features, int[] labels, int featureCount, IReadOnlyList<string> classNames, IReadOnlyList<InputFileHash>? sources = null)
    {
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount), $"Feature count must be positive, got {featureCount}.");
        if (classNames.Count < 2) throw new ArgumentException($"A classification data set needs at least 2 classes, got {classNames.Count}.", nameof(classNames));
        if (features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException($"{labels.Length} samples of {featureCount} features need {(long)labels.Length * featureCount} values, got {features.Length}.", nameof(features));
        for (var i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {labels[i]} of sample {i} is outside 0..{classNames.Count - 1}.", nameof(labels));
        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        ClassNames = classNames;
        Sources = sources ?? [];
    }

    public int Count => _labels.Length;
    public int FeatureCount { get; }
    public int ClassCount => ClassNames.Count;
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<InputFileHash> Sources { get; }

    /// <summary>All features, sample after sample.</summary>
    public ReadOnlySpan<float> Features => _features;
    public ReadOnlySpan<int> Labels => _labels;
    public ReadOnlySpan<float> Sample(int index) => _features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>A copy holding the given samples in the given order (same classes and sources).</summary>
    public DataSet Select(ReadOnlySpan<int> indices)
    {
        var features = GC.AllocateUninitializedArray<float>(indices.Length * FeatureCount);
        var labels = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Sample(indices[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = _labels[indices[i]];
        }
        return new DataSet(features, labels, FeatureCount, ClassNames, Sources);
    }

    /// <summary>The first <paramref name="count"/> samples.</summary>
    public DataSet Take(int count)
    {
        count = Math.Clamp(count, 0, Count);
        return new DataSet(_features[..(count * FeatureCount)], _labels[..count], FeatureCount, ClassNames, Sources);
    }

    /// <summary>How many samples each class has.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var label in _labels) counts[label]++;
        return counts;
    }
}
