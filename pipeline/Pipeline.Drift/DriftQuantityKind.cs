namespace Pipeline.Drift;

/// <summary>What a drift quantity measures: the per-row mean of a numeric input, or the predicted class.</summary>
public enum DriftQuantityKind
{
    /// <summary>Per row, the mean of that input's values in the row (NaN values left out); binned by <see cref="DriftQuantity.Edges"/>.</summary>
    InputMean,

    /// <summary>Per answered row, the class label the server returned; one bin per <see cref="DriftQuantity.Labels"/> entry.</summary>
    PredictedClass,
}
