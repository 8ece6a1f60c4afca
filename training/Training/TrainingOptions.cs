using Training.Compute;
using Training.Optimization;

namespace Training;

public enum OptimizerKind
{
    /// <summary>Adam with decoupled weight decay (AdamW).</summary>
    Adam,
    /// <summary>SGD with momentum (optionally Nesterov) and coupled L2 weight decay.</summary>
    Sgd,
}

/// <summary>
/// Everything that determines the trained weights (with the data): architecture, optimizer, schedule, epochs,
/// split and seed. The defaults train the 784-256-128-10 Fashion-MNIST MLP. How the work is run (threads,
/// kernel) is in <see cref="ExecutionOptions"/> and does not change the result.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Hidden layer widths; empty trains softmax regression (a single layer).</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [256, 128];
    /// <summary>Probability of zeroing each hidden activation during training (inverted dropout; 0 disables).</summary>
    public double Dropout { get; init; } = 0.2;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam: decoupled (AdamW) decay of weights, not biases. SGD: L2 coefficient added to the gradient.</summary>
    public double WeightDecay { get; init; } = 0.05;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>SGD only.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>SGD only.</summary>
    public bool Nesterov { get; init; } = true;

    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Cosine;
    /// <summary>Epochs of linear warm-up from near zero to <see cref="LearningRate"/>.</summary>
    public int WarmupEpochs { get; init; } = 1;
    /// <summary>Cosine: the rate reached at the end of <see cref="MaxEpochs"/>.</summary>
    public double MinimumLearningRate { get; init; } = 1e-5;
    /// <summary>Step schedule: multiply the rate by <see cref="StepDecayFactor"/> every this many epochs.</summary>
    public int StepDecayEveryEpochs { get; init; } = 10;
    public double StepDecayFactor { get; init; } = 0.1;

    public int BatchSize { get; init; } = 128;
    public int MaxEpochs { get; init; } = 20;
    /// <summary>Stop after this many epochs without a validation-loss improvement; the best epoch's weights are kept.</summary>
    public int EarlyStoppingPatience { get; init; } = 5;
    public double EarlyStoppingMinimumImprovement { get; init; } = 1e-4;

    /// <summary>Share of the training file held out for validation (6,000 of Fashion-MNIST's 60,000).</summary>
    public double ValidationFraction { get; init; } = 0.1;
    public bool StratifiedSplit { get; init; } = true;
    /// <summary>Feature standard deviations below this are raised to it before inverting, so constant or
    /// near-constant inputs (blank image borders) are not blown up (raw pixel units).</summary>
    public double MinimumFeatureStd { get; init; } = 1.0;
    /// <summary>Seeds the split, initialization, shuffling and dropout (separate streams derived from it).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        foreach (var width in HiddenLayers)
            Require(width > 0, nameof(HiddenLayers), $"hidden layer widths must be positive, got [{string.Join(", ", HiddenLayers)}]");
        Require(Dropout is >= 0 and < 1, nameof(Dropout), $"must be in [0, 1), got {Dropout}");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), $"must be positive, got {LearningRate}");
        Require(WeightDecay >= 0, nameof(WeightDecay), $"must not be negative, got {WeightDecay}");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), $"must be in [0, 1), got {Beta1}");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), $"must be in [0, 1), got {Beta2}");
        Require(Epsilon > 0, nameof(Epsilon), $"must be positive, got {Epsilon}");
        Require(Momentum is >= 0 and < 1, nameof(Momentum), $"must be in [0, 1), got {Momentum}");
        Require(WarmupEpochs >= 0, nameof(WarmupEpochs), $"must not be negative, got {WarmupEpochs}");
        Require(MinimumLearningRate >= 0 && MinimumLearningRate <= LearningRate, nameof(MinimumLearningRate), $"must be between 0 and LearningRate ({LearningRate}), got {MinimumLearningRate}");
        Require(StepDecayEveryEpochs > 0, nameof(StepDecayEveryEpochs), $"must be positive, got {StepDecayEveryEpochs}");
        Require(StepDecayFactor is > 0 and <= 1, nameof(StepDecayFactor), $"must be in (0, 1], got {StepDecayFactor}");
        Require(BatchSize > 0, nameof(BatchSize), $"must be positive, got {BatchSize}");
        Require(MaxEpochs > 0, nameof(MaxEpochs), $"must be positive, got {MaxEpochs}");
        Require(EarlyStoppingPatience > 0, nameof(EarlyStoppingPatience), $"must be positive, got {EarlyStoppingPatience}");
        Require(EarlyStoppingMinimumImprovement >= 0, nameof(EarlyStoppingMinimumImprovement), $"must not be negative, got {EarlyStoppingMinimumImprovement}");
        Require(ValidationFraction is > 0 and < 1, nameof(ValidationFraction), $"must be between 0 and 1 (exclusive), got {ValidationFraction}");
        Require(MinimumFeatureStd > 0, nameof(MinimumFeatureStd), $"must be positive, got {MinimumFeatureStd}");
    }

    /// <summary>Layer widths from input to classes, e.g. "784-256-128-10".</summary>
    public string Architecture(int inputSize, int classes) => string.Join("-", [inputSize, .. HiddenLayers, classes]);

    internal LearningRateSchedule CreateSchedule(int stepsPerEpoch) => new(
        Schedule, LearningRate, MinimumLearningRate, WarmupEpochs * stepsPerEpoch, MaxEpochs * stepsPerEpoch,
        stepsPerEpoch, StepDecayEveryEpochs, StepDecayFactor);

    private static void Require(bool condition, string name, string problem)
    {
        if (!condition) throw new ArgumentException($"TrainingOptions.{name} {problem}.", name);
    }
}

/// <summary>How training runs; never changes the result (weights are bit-identical for any thread count and kernel).</summary>
public sealed record ExecutionOptions
{
    /// <summary>Threads for matrix products and optimizer updates (defaults to all cores).</summary>
    public int DegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    public GemmKernel Kernel { get; init; } = GemmKernel.Auto;
}
