using Training.Data;
using Training.Models;

namespace Training;

/// <summary>One epoch of the learning curve, without timings.</summary>
public sealed record LearningCurvePoint(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy, double LearningRate);

/// <summary>
/// How a model was produced; saved with it. It deliberately holds no wall-clock values or thread counts, so training
/// again on the same files with the same options and seed yields a byte-identical model file.
/// </summary>
public sealed record TrainingRecord(
    TrainingOptions Options,
    string Architecture,
    IReadOnlyList<InputFileHash> Inputs,
    int TrainSamples,
    int ValidationSamples,
    int EpochsRun,
    int BestEpoch,
    StopReason StopReason,
    double BestValidationLoss,
    double BestValidationAccuracy,
    IReadOnlyList<LearningCurvePoint> LearningCurve);

/// <summary>The trained model (best validation epoch's weights), its record, and the timed epoch reports.</summary>
public sealed record TrainingResult(MlpModel Model, TrainingRecord Record, IReadOnlyList<EpochReport> Epochs, TimeSpan Duration);
