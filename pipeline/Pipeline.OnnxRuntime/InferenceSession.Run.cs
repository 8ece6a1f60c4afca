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
        try
        {
            using var results = Guarded(cancellationToken,
                runOptions => _session.Run(runOptions, inputValues.Names, inputValues.Values, names));
            var copies = new NamedTensor[names.Count];
            var i = 0;
            foreach (var value in results)
            {
                copies[i] = new NamedTensor(names[i], OrtValues.Copy(value, names[i]));
                i++;
            }

            return copies;
        }
        finally
        {
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
        try
        {
            outputValues = OrtValues.Over(outputs, nameof(outputs));
            Guarded(cancellationToken, runOptions =>
            {
                _session.Run(runOptions, inputValues.Names, inputValues.Values, outputValues.Names, outputValues.Values);
                return true;
            });
        }
        finally
        {
            outputValues.Dispose();
            inputValues.Dispose();
            Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> with run options that ORT terminates when the token is canceled, and reports a
    /// run ended that way as <see cref="OperationCanceledException"/>.
    /// </summary>
    private TResult Guarded<TResult>(CancellationToken cancellationToken, Func<Ort.RunOptions, TResult> run)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return run(_runOptions);
        }

        using var runOptions = new Ort.RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return run(runOptions);
        }
        catch (Ort.OnnxRuntimeException error) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The ONNX Runtime run was canceled.", error, cancellationToken);
        }
    }
}
