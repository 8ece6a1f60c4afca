using Microsoft.ML;

namespace Training.MlNet;

/// <summary>A fitted candidate: its whole transformer chain, the schema it was fitted on, how long it took and its test metrics.</summary>
/// <param name="InputSchema">The schema of the rows the chain takes (needed to save it and to build its ONNX inputs).</param>
/// <param name="TestMetrics">ML.NET's own evaluator on the test set; names per task in <see cref="CandidateMetrics"/>.</param>
public sealed record TrainedCandidate(
    string Name,
    ITransformer Model,
    DataViewSchema InputSchema,
    TimeSpan TrainingTime,
    IReadOnlyDictionary<string, double> TestMetrics);
