namespace Training.Optimization;

public enum LearningRateScheduleKind
{
    /// <summary>The base rate throughout (after warm-up).</summary>
    Constant,
    /// <summary>Half-cosine decay per step from the base rate to the minimum rate at the last step of the last epoch.</summary>
    Cosine,
    /// <summary>The base rate multiplied by a factor every fixed number of epochs.</summary>
    Step,
}

/// <summary>The learning rate of each optimization step: linear warm-up, then the chosen decay.</summary>
public sealed record LearningRateSchedule(
    LearningRateScheduleKind Kind,
    double BaseRate,
    double MinimumRate,
    int WarmupSteps,
    int TotalSteps,
    int StepsPerEpoch,
    int DecayEveryEpochs,
    double DecayFactor)
{
    /// <summary>The rate for zero-based step <paramref name="step"/>.</summary>
    public double RateAt(int step)
    {
        if (step < WarmupSteps) return BaseRate * (step + 1) / WarmupSteps;
        switch (Kind)
        {
            case LearningRateScheduleKind.Cosine:
                var span = Math.Max(1, TotalSteps - WarmupSteps - 1);
                var progress = Math.Min(1.0, (double)(step - WarmupSteps) / span);
                return MinimumRate + (BaseRate - MinimumRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
            case LearningRateScheduleKind.Step:
                var epoch = step / Math.Max(1, StepsPerEpoch);
                return BaseRate * Math.Pow(DecayFactor, epoch / Math.Max(1, DecayEveryEpochs));
            default:
                return BaseRate;
        }
    }
}
