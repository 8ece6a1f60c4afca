namespace Training;

/// <summary>One finished epoch. Losses are mean cross-entropy; the train loss is measured with dropout active.</summary>
public sealed record EpochReport(
    int Epoch,
    int MaxEpochs,
    double TrainLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    double LearningRate,
    bool IsBest,
    TimeSpan EpochDuration,
    TimeSpan Elapsed);

/// <summary>One finished mini-batch, for progress bars.</summary>
public sealed record BatchProgress(int Epoch, int MaxEpochs, int Batch, int BatchCount, double RunningTrainLoss);

public enum StopReason
{
    /// <summary>All <see cref="TrainingOptions.MaxEpochs"/> epochs ran.</summary>
    MaxEpochsReached,
    /// <summary>Validation loss stopped improving for <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs.</summary>
    EarlyStopped,
}
