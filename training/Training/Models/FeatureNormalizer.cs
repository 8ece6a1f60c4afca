namespace Training.Models;

/// <summary>
/// Per-feature standardization x' = (x - Mean) * InverseStd, computed on the training split only.
/// It is part of the model (and of the exported ONNX graph) so callers send raw pixel values.
/// </summary>
public sealed class FeatureNormalizer
{
    public FeatureNormalizer(float[] mean, float[] inverseStd)
    {
        if (mean.Length != inverseStd.Length)
            throw new ArgumentException($"Mean has {mean.Length} features but InverseStd has {inverseStd.Length}.", nameof(inverseStd));
        Mean = mean;
        InverseStd = inverseStd;
    }

    public float[] Mean { get; }
    public float[] InverseStd { get; }
    public int FeatureCount => Mean.Length;
}
