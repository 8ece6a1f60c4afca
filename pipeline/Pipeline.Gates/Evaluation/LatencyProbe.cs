using System.Diagnostics;
using Pipeline.OnnxRuntime;

namespace Pipeline.Gates;

/// <summary>
/// Times Runs of one session on real test rows. Outputs are written into preallocated tensors (RunInto) where the
/// model's outputs are numeric, so the samples measure the model, not managed allocation of result copies; a model
/// answering text labels is timed with Run, as ORT allocates strings itself. Each sample is one Stopwatch interval.
/// </summary>
internal sealed class LatencyProbe(InferenceSession session, EvaluationOptions options, IReadOnlyList<NamedTensor> inputs, int rowCount,
    int classCount, TensorElementType labelType)
{
    public LatencyStatistics MeasureSingleRow(CancellationToken cancellationToken)
    {
        // Cycling through different rows, as live traffic would, rather than timing one cached input.
        var rows = Math.Min(rowCount, options.LatencyRuns);
        var perRow = new IReadOnlyList<NamedTensor>[rows];
        for (var row = 0; row < rows; row++)
            perRow[row] = inputs.Select(i => TensorRows.Slice(i, row, 1)).ToList();
        return Measure(1, perRow, options.LatencyRuns, cancellationToken);
    }

    public LatencyStatistics MeasureBatch(CancellationToken cancellationToken)
    {
        var batchSize = options.ThroughputBatchSize;
        // Wraps around when the test set is smaller than one batch.
        var indices = Enumerable.Range(0, batchSize).Select(row => row % rowCount).ToList();
        IReadOnlyList<NamedTensor>[] batch = [inputs.Select(i => TensorRows.Gather(i, indices)).ToList()];
        return Measure(batchSize, batch, options.ThroughputRuns, cancellationToken);
    }

    private LatencyStatistics Measure(int batchSize, IReadOnlyList<NamedTensor>[] runInputs, int runs, CancellationToken cancellationToken)
    {
        var run = Runner(batchSize);
        for (var i = 0; i < options.WarmupRuns; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            run(runInputs[i % runInputs.Length]);
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            // Checked between runs, not passed to the run: a cancellable token makes each Run create and register
            // native run options, which would be timed too. One Run of these models is far below a second.
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            run(runInputs[i % runInputs.Length]);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return LatencyStatistics.FromSamples(batchSize, samples);
    }

    private Action<IReadOnlyList<NamedTensor>> Runner(int batchSize)
    {
        string[] names = [options.ProbabilitiesOutput, options.LabelOutput];
        if (labelType == TensorElementType.String)
            return runInputs => session.Run(runInputs, names);
        NamedTensor[] outputs =
        [
            NamedTensor.Create(options.ProbabilitiesOutput, new float[batchSize * classCount], batchSize, classCount),
            NamedTensor.Create(options.LabelOutput, new long[batchSize], batchSize),
        ];
        return runInputs => session.RunInto(runInputs, outputs);
    }
}
