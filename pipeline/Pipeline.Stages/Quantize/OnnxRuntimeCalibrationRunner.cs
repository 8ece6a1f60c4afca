using System.Runtime.CompilerServices;
using Pipeline.OnnxRuntime;
using Pipeline.Quantization.Calibration;

namespace Pipeline.Stages;

/// <summary>
/// The ONNX Runtime implementation of <see cref="ICalibrationRunner"/>: one session for the calibration model,
/// one Run per batch. It lives with the stages, which depend on both, so Pipeline.Quantization stays free of the
/// native binding.
/// </summary>
public sealed class OnnxRuntimeCalibrationRunner(OrtEnvironment environment) : ICalibrationRunner
{
    public async IAsyncEnumerable<IReadOnlyDictionary<string, float[]>> RunAsync(ReadOnlyMemory<byte> model,
        IAsyncEnumerable<CalibrationBatch> batches, IReadOnlyList<string> outputNames,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var session = new InferenceSession(environment, model);
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            var inputs = batch.Inputs.Select(t => NamedTensor.Create(t.Name, t.Data, t.Shape)).ToList();
            var outputs = session.Run(inputs, outputNames, cancellationToken);
            yield return outputs.ToDictionary(o => o.Name, o => o.Tensor.As<float>().ToArray(), StringComparer.Ordinal);
        }
    }
}
