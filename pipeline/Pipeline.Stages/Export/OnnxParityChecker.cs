using Pipeline.OnnxRuntime;
using Training.Export;

namespace Pipeline.Stages;

/// <summary>How far ONNX Runtime's answers are from the trained model's, over a whole data set.</summary>
public sealed record ParityReport(int Samples, double MaxAbsoluteDifference, int WorstSample, int LabelMismatches, double Tolerance)
{
    public bool Passed => MaxAbsoluteDifference <= Tolerance && LabelMismatches == 0;

    public string Describe() =>
        $"{Samples} samples: max |Δp| = {MaxAbsoluteDifference:E2} (tolerance {Tolerance:E0}, worst sample {WorstSample}), " +
        $"{LabelMismatches} label mismatches";
}

/// <summary>
/// Runs an exported model in ONNX Runtime and compares its probabilities and labels with the reference computed
/// in-process by the trained model. Runs in batches so memory stays flat for any data set size.
/// </summary>
public static class OnnxParityChecker
{
    public const double DefaultTolerance = 1e-5;

    public static ParityReport Check(InferenceSession session, ReadOnlySpan<float> features, int featureCount,
        ReadOnlySpan<float> referenceProbabilities, int classes, double tolerance = DefaultTolerance, int batchSize = 1000)
    {
        var samples = features.Length / featureCount;
        double maxDifference = 0;
        var worst = -1;
        var mismatches = 0;
        for (var start = 0; start < samples; start += batchSize)
        {
            var rows = Math.Min(batchSize, samples - start);
            var input = features.Slice(start * featureCount, rows * featureCount).ToArray();
            var outputs = session.Run(
                [NamedTensor.Create(MlpOnnxExporter.InputName, input, rows, featureCount)],
                [MlpOnnxExporter.ProbabilitiesOutputName, MlpOnnxExporter.LabelOutputName]);
            var probabilities = outputs[0].Tensor.As<float>().Span;
            var labels = outputs[1].Tensor.As<long>().Span;
            for (var row = 0; row < rows; row++)
            {
                var reference = referenceProbabilities.Slice((start + row) * classes, classes);
                var actual = probabilities.Slice(row * classes, classes);
                var referenceLabel = 0;
                for (var c = 0; c < classes; c++)
                {
                    var difference = Math.Abs(reference[c] - actual[c]);
                    if (!(difference <= maxDifference)) // NaN counts as the worst difference
                    {
                        maxDifference = double.IsNaN(difference) ? double.PositiveInfinity : difference;
                        worst = start + row;
                    }
                    if (reference[c] > reference[referenceLabel]) referenceLabel = c;
                }
                if (labels[row] != referenceLabel) mismatches++;
            }
        }
        return new ParityReport(samples, maxDifference, worst, mismatches, tolerance);
    }
}
