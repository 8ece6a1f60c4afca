namespace Pipeline.Gates;

/// <summary>
/// The held-out samples every candidate is measured on: features row-major [Count, FeatureCount] as the model takes
/// them (raw pixel values 0..255 for the exported Fashion-MNIST models) and one class index per row.
/// </summary>
public sealed class LabelledTestSet
{
    public const int FashionMnistFeatures = 28 * 28;

    public LabelledTestSet(float[] features, int[] labels, int featureCount = FashionMnistFeatures)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "Each test row needs at least one feature.");
        if (labels.Length == 0)
            throw new ArgumentException("The test set is empty: gates need labelled samples to measure accuracy.", nameof(labels));
        if (features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException(
                $"The test set has {labels.Length} labels but {features.Length} feature values; {labels.Length} rows of " +
                $"{featureCount} features need {(long)labels.Length * featureCount}. Pass the features row-major, one row per label.",
                nameof(features));
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
                throw new ArgumentException($"Test label {labels[i]} at row {i} is negative; labels are class indices from 0.", nameof(labels));
        }

        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    public float[] Features { get; }

    public int[] Labels { get; }

    public int FeatureCount { get; }

    public int Count => Labels.Length;

    /// <summary>Row <paramref name="index"/> without copying, for feeding ORT directly.</summary>
    public Memory<float> Rows(int index, int count) => Features.AsMemory(index * FeatureCount, count * FeatureCount);
}
