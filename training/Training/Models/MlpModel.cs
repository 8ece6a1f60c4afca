namespace Training.Models;

/// <summary>
/// A trained classifier: normalization, then dense layers (ReLU between them, logits last), then softmax.
/// Softmax regression is the case with a single layer. Dropout exists only in training and is not stored.
/// </summary>
public sealed class MlpModel
{
    public MlpModel(FeatureNormalizer normalizer, IReadOnlyList<DenseLayer> layers, IReadOnlyList<string> classNames)
    {
        if (layers.Count == 0) throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        if (layers[0].InputSize != normalizer.FeatureCount)
            throw new ArgumentException($"The first layer takes {layers[0].InputSize} inputs but the normalizer has {normalizer.FeatureCount} features.", nameof(layers));
        for (var i = 1; i < layers.Count; i++)
            if (layers[i].InputSize != layers[i - 1].OutputSize)
                throw new ArgumentException($"Layer {i} takes {layers[i].InputSize} inputs but layer {i - 1} gives {layers[i - 1].OutputSize}.", nameof(layers));
        if (layers[^1].OutputSize != classNames.Count)
            throw new ArgumentException($"The last layer gives {layers[^1].OutputSize} outputs but there are {classNames.Count} class names.", nameof(classNames));
        Normalizer = normalizer;
        Layers = layers;
        ClassNames = classNames;
    }

    public FeatureNormalizer Normalizer { get; }
    public IReadOnlyList<DenseLayer> Layers { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int InputSize => Normalizer.FeatureCount;
    public int ClassCount => ClassNames.Count;
}
