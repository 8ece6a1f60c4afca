using System.Runtime.CompilerServices;
using Google.Protobuf;
using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization.Calibration;

/// <summary>The ranges calibration found, per tensor name, and how much data it saw.</summary>
public sealed record CalibrationResult(IReadOnlyDictionary<string, TensorRange> Ranges, CalibrationMethod Method, long SampleCount);

/// <summary>
/// Runs the float model over calibration data with the chosen intermediate tensors exposed as extra graph outputs,
/// and turns the values seen into one quantization range per tensor. Statistics are accumulated batch by batch,
/// so memory does not grow with the amount of calibration data.
/// </summary>
public static class ActivationCalibrator
{
    public static async Task<CalibrationResult> CalibrateAsync(ModelProto model, IReadOnlyCollection<string> tensorNames,
        ICalibrationDataSource data, ICalibrationRunner runner, CalibrationMethod method, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensorNames);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(method);

        var calibration = CalibrationModel.Expose(model, tensorNames);
        var collectors = calibration.OutputNames.Keys.ToDictionary(name => name, method.CreateCollector, StringComparer.Ordinal);
        var modelInputs = model.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var rows = new StrongBox<long>();
        var batches = 0;
        var outputNames = calibration.OutputNames.Values.Distinct().ToList();
        var results = runner.RunAsync(calibration.Model.ToByteArray(), CheckedBatches(data, modelInputs, rows, cancellationToken), outputNames, cancellationToken);
        await foreach (var outputs in results.WithCancellation(cancellationToken))
        {
            batches++;
            foreach (var (tensor, output) in calibration.OutputNames)
            {
                if (!outputs.TryGetValue(output, out var values))
                    throw new InvalidOperationException(
                        $"The calibration runner returned no '{output}' for batch {batches}; it must return every requested output ([{string.Join(", ", outputNames)}]).");
                collectors[tensor].Add(values);
            }
        }
        if (batches == 0)
            throw new InvalidOperationException("The calibration data source gave no batches; calibration needs a representative sample (a few hundred rows or more).");

        var ranges = collectors.ToDictionary(c => c.Key, c => c.Value.Range, StringComparer.Ordinal);
        return new CalibrationResult(ranges, method, rows.Value);
    }

    private static async IAsyncEnumerable<CalibrationBatch> CheckedBatches(ICalibrationDataSource data, HashSet<string> modelInputs,
        StrongBox<long> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in data.ReadBatchesAsync(cancellationToken).WithCancellation(cancellationToken))
        {
            foreach (var input in batch.Inputs.Where(input => !modelInputs.Contains(input.Name)))
                throw new ArgumentException(
                    $"A calibration batch feeds '{input.Name}', which is not an input of the model; its inputs are [{string.Join(", ", modelInputs)}].");
            rows.Value += batch.RowCount;
            yield return batch;
        }
    }
}
