using System.Diagnostics;
using Pipeline.OnnxRuntime;

namespace Pipeline.Gates;

/// <summary>
/// Times Runs of one session on real test rows. Outputs are written into preallocated tensors (RunInto), so the
/// samples measure the model, not managed allocation of result copies; each sample is one Stopwatch interval.
/// </summary>
internal sealed class LatencyProbe(InferenceSession session, EvaluationOptions options, LabelledTestSet testSet, int classCount)
{
    public LatencyStatistics MeasureSingleRow(CancellationToken cancellationToken)
    {
        // Cycling through different rows, as live traffic would, rather than timing one cached input.
        var rowCount = Math.Min(testSet.Count, options.LatencyRuns);
        var inputs = new NamedTensor[rowCount][];
        for (var row = 0; row < rowCount; row++)
        {
            inputs[row] = [new NamedTensor(options.InputName, new DenseTensor<float>(testSet.Rows(row, 1), 1, testSet.FeatureCount))];
        }

        return Measure(1, inputs, options.LatencyRuns, cancellationToken);
    }

    public LatencyStatistics MeasureBatch(CancellationToken cancellationToken)
    {
        var batchSize = options.ThroughputBatchSize;
        var rows = new float[batchSize * testSet.FeatureCount];
        for (var row = 0; row < batchSize; row++)
        {
            // Wraps around when the test set is smaller than one batch.
            testSet.Rows(row % testSet.Count, 1).CopyTo(rows.AsMemory(row * testSet.FeatureCount));
        }

        NamedTensor[][] inputs = [[NamedTensor.Create(options.InputName, rows, batchSize, testSet.FeatureCount)]];
        return Measure(batchSize, inputs, options.ThroughputRuns, cancellationToken);
    }

    private LatencyStatistics Measure(int batchSize, NamedTensor[][] inputs, int runs, CancellationToken cancellationToken)
    {
        NamedTensor[] outputs =
        [
            NamedTensor.Create(options.ProbabilitiesOutput, new float[batchSize * classCount], batchSize, classCount),
            NamedTensor.Create(options.LabelOutput, new long[batchSize], batchSize),
        ];
        for (var i = 0; i < options.WarmupRuns; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.RunInto(inputs[i % inputs.Length], outputs);
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            // Checked between runs, not passed to RunInto: a cancellable token makes each Run create and register
            // native run options, which would be timed too. One Run of these models is far below a second.
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            session.RunInto(inputs[i % inputs.Length], outputs);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return LatencyStatistics.FromSamples(batchSize, samples);
    }
}
