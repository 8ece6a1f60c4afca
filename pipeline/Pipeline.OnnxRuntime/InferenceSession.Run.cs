using Ort = Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

public sealed partial class InferenceSession
{
    /// <summary>
    /// Runs the model and returns copies of the requested outputs (all outputs when <paramref name="outputNames"/>
    /// is null), in the order requested. Input buffers are read in place, never copied.
    /// </summary>
    public IReadOnlyList<NamedTensor> Run(
        IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        var names = outputNames ?? _outputNames;
        AddRef();
        var inputValues = OrtValues.Over(inputs, nameof(inputs));
        var run = RunScope.Start(_runOptions, cancellationToken);
        try
        {
            using var results = _session.Run(run.Options, inputValues.Names, inputValues.Values, names);
            var copies = new NamedTensor[names.Count];
            var i = 0;
            foreach (var value in results)
            {
                copies[i] = new NamedTensor(names[i], OrtValues.Copy(value, names[i]));
                i++;
            }

            return copies;
        }
        catch (Ort.OnnxRuntimeException error) when (cancellationToken.IsCancellationRequested)
        {
            throw RunScope.Canceled(error, cancellationToken);
        }
        finally
        {
            run.Dispose();
            inputValues.Dispose();
            Release();
        }
    }

    /// <summary>
    /// Runs the model writing each output straight into the caller's tensor, for serving without per-call output
    /// allocations. Each output tensor must have exactly the shape and element type the model produces.
    /// </summary>
    public void RunInto(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        cancellationToken.ThrowIfCancellationRequested();
        AddRef();
        var inputValues = OrtValues.Over(inputs, nameof(inputs));
        var outputValues = default(OrtValues);
        var run = RunScope.Start(_runOptions, cancellationToken);
        try
        {
            outputValues = OrtValues.Over(outputs, nameof(outputs));
            _session.Run(run.Options, inputValues.Names, inputValues.Values, outputValues.Names, outputValues.Values);
        }
        catch (Ort.OnnxRuntimeException error) when (cancellationToken.IsCancellationRequested)
        {
            throw RunScope.Canceled(error, cancellationToken);
        }
        finally
        {
            run.Dispose();
            outputValues.Dispose();
            inputValues.Dispose();
            Release();
        }
    }
}
