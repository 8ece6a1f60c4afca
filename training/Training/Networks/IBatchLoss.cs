namespace Training.Networks;

/// <summary>
/// A training objective on the logits other than cross-entropy with the labels (e.g. distillation from a teacher's
/// soft targets). <see cref="SelectSamples"/> names the training samples of the next batch, so per-sample targets
/// can be gathered in the same shuffled order as the features.
/// </summary>
internal interface IBatchLoss
{
    /// <summary>The training-set indices of the rows of the next batch, in row order.</summary>
    void SelectSamples(ReadOnlySpan<int> sampleIndices);

    /// <summary>Writes dLoss/dLogits of the batch MEAN loss into <paramref name="delta"/>; returns the summed loss.</summary>
    double Gradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> delta, int classes);
}
