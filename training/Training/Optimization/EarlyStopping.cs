namespace Training.Optimization;

/// <summary>
/// Tracks the best validation loss; training should stop after <see cref="Patience"/> epochs in a row without an
/// improvement of more than <see cref="MinimumImprovement"/>.
/// </summary>
public sealed class EarlyStopping
{
    public EarlyStopping(int patience, double minimumImprovement = 0)
    {
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), $"Patience must be at least 1 epoch, got {patience}.");
        if (!(minimumImprovement >= 0)) throw new ArgumentOutOfRangeException(nameof(minimumImprovement), $"Minimum improvement must not be negative, got {minimumImprovement}.");
        Patience = patience;
        MinimumImprovement = minimumImprovement;
    }

    public int Patience { get; }
    public double MinimumImprovement { get; }
    public int BestEpoch { get; private set; }
    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public int EpochsWithoutImprovement { get; private set; }
    public bool ShouldStop => EpochsWithoutImprovement >= Patience;

    /// <summary>Records an epoch's validation loss; returns whether it is the new best (its weights should be kept).
    /// NaN never counts as an improvement.</summary>
    public bool Observe(int epoch, double loss)
    {
        if (loss < BestLoss - MinimumImprovement)
        {
            (BestEpoch, BestLoss, EpochsWithoutImprovement) = (epoch, loss, 0);
            return true;
        }
        EpochsWithoutImprovement++;
        return false;
    }
}
