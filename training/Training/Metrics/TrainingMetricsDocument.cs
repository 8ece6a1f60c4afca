using Training.Data;

namespace Training.Metrics;

/// <summary>One row of the learning curve in metrics.json.</summary>
public sealed record LearningCurveEntry(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy, double LearningRate, double EpochSeconds);

/// <summary>How the training run went.</summary>
public sealed record TrainingSummary(
    string Architecture,
    int TrainSamples,
    int ValidationSamples,
    int EpochsRun,
    int BestEpoch,
    StopReason StopReason,
    double TrainingSeconds,
    ulong Seed);

/// <summary>
/// The content of artifacts/train/metrics.json (camelCase JSON, enums as strings):
/// <code>
/// {
///   "schemaVersion": 1,
///   "training": { "architecture": "784-256-128-10", "trainSamples": 54000, "validationSamples": 6000, "epochsRun": 20,
///                 "bestEpoch": 19, "stopReason": "MaxEpochsReached", "trainingSeconds": 21.3, "seed": 42 },
///   "validation": MetricsReport,
///   "test": MetricsReport,            // the official test set, used for nothing but these numbers
///   "learningCurve": [ { "epoch": 1, "trainLoss": .., "validationLoss": .., "validationAccuracy": ..,
///                        "learningRate": .., "epochSeconds": .. }, ... ],
///   "inputs": [ { "path": "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", "bytes": .., "sha256": ".." }, ... ]
/// }
/// MetricsReport = { "sampleCount", "accuracy", "logLoss", "macroPrecision", "macroRecall", "macroF1", "weightedF1",
///   "classes": [ { "label", "name", "support", "predicted", "precision", "recall", "f1" } ],
///   "confusionMatrix": [[..]] (rows = actual class, columns = predicted class) }
/// </code>
/// Accuracies and rates are fractions in [0, 1].
/// </summary>
public sealed record TrainingMetricsDocument(
    int SchemaVersion,
    TrainingSummary Training,
    MetricsReport Validation,
    MetricsReport Test,
    IReadOnlyList<LearningCurveEntry> LearningCurve,
    IReadOnlyList<InputFileHash> Inputs)
{
    public const int CurrentSchemaVersion = 1;

    public static TrainingMetricsDocument Create(TrainingResult result, MetricsReport validation, MetricsReport test, IReadOnlyList<InputFileHash> inputs)
    {
        var record = result.Record;
        return new TrainingMetricsDocument(
            CurrentSchemaVersion,
            new TrainingSummary(record.Architecture, record.TrainSamples, record.ValidationSamples, record.EpochsRun, record.BestEpoch,
                record.StopReason, result.Duration.TotalSeconds, record.Options.Seed),
            validation,
            test,
            result.Epochs.Select(e => new LearningCurveEntry(e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy, e.LearningRate, e.EpochDuration.TotalSeconds)).ToArray(),
            inputs);
    }
}
