using System.Globalization;
using Pipeline.OnnxRuntime;

namespace Pipeline.Gates;

/// <summary>
/// The held-out samples every candidate is measured on: one tensor per model input over all rows (the batch is the
/// first dimension), and each row's true label value as text ("7" for a class index, "Adelie" for a species name).
/// </summary>
public sealed class LabelledTestSet
{
    public const int FashionMnistFeatures = 28 * 28;

    /// <summary>The MLP's test set: raw pixels row-major in one float input named "input", labels as class indices.</summary>
    public LabelledTestSet(float[] features, int[] labels, int featureCount = FashionMnistFeatures)
        : this(FloatInput(features, labels, featureCount), ClassIndices(labels))
    {
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    /// <summary>Any model's test set: its named inputs of any element type, and the true label of each row.</summary>
    public LabelledTestSet(IReadOnlyList<NamedTensor> inputs, string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Length == 0)
            throw new ArgumentException("The test set is empty: gates need labelled samples to measure accuracy.", nameof(labelValues));
        if (inputs.Count == 0)
            throw new ArgumentException("The test set has no inputs; give one tensor per model input.", nameof(inputs));
        foreach (var input in inputs)
        {
            var (rows, _) = TensorRows.Layout(input.Tensor);
            if (rows != labelValues.Length)
                throw new ArgumentException(
                    $"Test input '{input.Name}' has {rows} rows but there are {labelValues.Length} labels; every input needs one row per label.", nameof(inputs));
        }

        Inputs = inputs;
        LabelValues = labelValues;
    }

    public IReadOnlyList<NamedTensor> Inputs { get; }

    /// <summary>Each row's true label value, compared with the text of the candidate's <c>label</c> output.</summary>
    public string[] LabelValues { get; }

    public int Count => LabelValues.Length;

    /// <summary>The pixels of the MLP's test set; null for a test set built from named inputs.</summary>
    public float[]? Features { get; }

    /// <summary>Class indices of the MLP's test set; null for a test set built from named inputs.</summary>
    public int[]? Labels { get; }

    /// <summary>Features per row of the MLP's test set; 0 for a test set built from named inputs.</summary>
    public int FeatureCount { get; }

    /// <summary>Rows <paramref name="start"/>.. of every input, without copying numeric buffers.</summary>
    public IReadOnlyList<NamedTensor> Rows(int start, int count) => Inputs.Select(i => TensorRows.Slice(i, start, count)).ToList();

    /// <summary>The rows at <paramref name="indices"/> of every input, copied.</summary>
    public IReadOnlyList<NamedTensor> Gather(IReadOnlyList<int> indices) => Inputs.Select(i => TensorRows.Gather(i, indices)).ToList();

    private static IReadOnlyList<NamedTensor> FloatInput(float[] features, int[] labels, int featureCount)
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
        return [NamedTensor.Create("input", features, labels.Length, featureCount)];
    }

    private static string[] ClassIndices(int[] labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
                throw new ArgumentException($"Test label {labels[i]} at row {i} is negative; labels are class indices from 0.", nameof(labels));
        }

        return labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();
    }
}
