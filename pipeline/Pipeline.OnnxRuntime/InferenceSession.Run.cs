using System.Buffers;
using Pipeline.OnnxRuntime.Native;

namespace Pipeline.OnnxRuntime;

public sealed partial class InferenceSession
{
    private const int StackNames = 16;

    /// <summary>
    /// Runs the model and returns copies of the requested outputs (all outputs when <paramref name="outputNames"/>
    /// is null), in the order requested. Input buffers are read in place, never copied.
    /// </summary>
    public IReadOnlyList<NamedTensor> Run(
        IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellationToken = default)
    {
        var names = outputNames ?? _outputNames;
        var values = new nint[names.Count];
        // Held until the outputs are copied and released, so they never outlive the session that made them.
        AddRef();
        try
        {
            RunCore(inputs, names, values, preallocated: null, cancellationToken);
            var results = new NamedTensor[names.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = new NamedTensor(names[i], OutputTensorReader.Read(_api, values[i], names[i]));
            }

            return results;
        }
        finally
        {
            foreach (var value in values)
            {
                _api.ReleaseValue(value);
            }

            Release();
        }
    }

    /// <summary>
    /// Runs the model writing each output straight into the caller's tensor, for serving without per-call output
    /// allocations. Each output tensor must have exactly the shape and element type the model produces.
    /// </summary>
    public void RunInto(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var names = new string[outputs.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = outputs[i].Name;
        }

        RunCore(inputs, names, new nint[outputs.Count], outputs, cancellationToken);
    }

    /// <param name="outputs">Receives the output values. When <paramref name="preallocated"/> is given they wrap its
    /// buffers and are released here; otherwise ORT allocates them and the caller releases them.</param>
    private unsafe void RunCore(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string> outputNames, nint[] outputs,
        IReadOnlyList<NamedTensor>? preallocated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        var inputCount = inputs.Count;
        var outputCount = outputNames.Count;
        Span<nint> inputNames = inputCount <= StackNames ? stackalloc nint[inputCount] : new nint[inputCount];
        Span<nint> inputValues = inputCount <= StackNames ? stackalloc nint[inputCount] : new nint[inputCount];
        Span<nint> outputNamePointers = outputCount <= StackNames ? stackalloc nint[outputCount] : new nint[outputCount];
        List<byte[]>? unknownNames = null;
        var session = AddRef();
        var pins = ArrayPool<MemoryHandle>.Shared.Rent(inputCount);
        var outputPins = preallocated is null ? null : ArrayPool<MemoryHandle>.Shared.Rent(outputCount);
        try
        {
            for (var i = 0; i < inputCount; i++)
            {
                inputNames[i] = _names.Get(inputs[i].Name, ref unknownNames);
            }

            for (var i = 0; i < outputCount; i++)
            {
                outputNamePointers[i] = _names.Get(outputNames[i], ref unknownNames);
            }

            CreateValues(inputs, inputValues, pins);
            if (preallocated is not null)
            {
                CreateValues(preallocated, outputs, outputPins!);
            }

            nint status;
            using (var terminator = RunTerminator.Create(_api, cancellationToken))
            {
                fixed (nint* inNames = inputNames, inValues = inputValues, outNames = outputNamePointers, outValues = outputs)
                {
                    status = _api.Run(session, terminator.RunOptions, inNames, inValues, inputCount, outNames, outputCount, outValues);
                }
            }

            if (status != 0)
            {
                var error = _api.TakeError(status);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The ONNX Runtime run was canceled.", error, cancellationToken);
                }

                throw error;
            }
        }
        finally
        {
            ReleaseValues(inputValues, pins);
            if (outputPins is not null)
            {
                ReleaseValues(outputs, outputPins);
            }

            Release();
            GC.KeepAlive(unknownNames);
        }
    }

    private unsafe void CreateValues(IReadOnlyList<NamedTensor> tensors, Span<nint> values, MemoryHandle[] pins)
    {
        var memoryInfo = _memoryInfo.DangerousGetHandle();
        for (var i = 0; i < values.Length; i++)
        {
            var tensor = tensors[i].Tensor
                ?? throw new ArgumentException($"Tensor '{tensors[i].Name}' is null.", nameof(tensors));
            pins[i] = tensor.Pin();
            values[i] = _api.CreateTensorWithData(memoryInfo, pins[i].Pointer, (nuint)tensor.ByteLength, tensor.ShapeSpan, tensor.ElementType);
        }
    }

    /// <summary>Releases each value before unpinning its buffer: ORT may touch the memory until the value is gone.</summary>
    private void ReleaseValues(Span<nint> values, MemoryHandle[] pins)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _api.ReleaseValue(values[i]);
            values[i] = 0;
            pins[i].Dispose();
        }

        ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
    }

    /// <summary>Keeps the native session and memory info alive for one call, even if another thread disposes.</summary>
    private nint AddRef()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var sessionAdded = false;
        var memoryInfoAdded = false;
        try
        {
            _session.DangerousAddRef(ref sessionAdded);
            _memoryInfo.DangerousAddRef(ref memoryInfoAdded);
            return _session.DangerousGetHandle();
        }
        catch (ObjectDisposedException)
        {
            if (sessionAdded)
            {
                _session.DangerousRelease();
            }

            throw new ObjectDisposedException(nameof(InferenceSession));
        }
    }

    private void Release()
    {
        _memoryInfo.DangerousRelease();
        _session.DangerousRelease();
    }
}
