namespace Pipeline.Quantization.Calibration;

/// <summary>A named row-major float tensor: one model input of a calibration batch.</summary>
public sealed record CalibrationTensor
{
    public CalibrationTensor(string name, float[] data, params long[] shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var dim in shape) count = dim >= 0 ? checked(count * dim) : throw new ArgumentException($"Calibration tensor '{name}' has a negative dimension in [{string.Join(", ", shape)}].", nameof(shape));
        if (count != data.Length)
            throw new ArgumentException($"Calibration tensor '{name}' has shape [{string.Join(", ", shape)}] ({count} elements) but {data.Length} values.", nameof(data));
        (Name, Data, Shape) = (name, data, shape);
    }

    public string Name { get; }

    public float[] Data { get; }

    public long[] Shape { get; }
}

/// <summary>One batch of calibration inputs, one tensor per model input the batch feeds.</summary>
public sealed record CalibrationBatch
{
    public CalibrationBatch(IReadOnlyList<CalibrationTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("A calibration batch needs at least one input tensor.", nameof(inputs));
        Inputs = inputs;
    }

    /// <summary>A batch for a model with a single input.</summary>
    public CalibrationBatch(string inputName, float[] data, params long[] shape) : this([new CalibrationTensor(inputName, data, shape)])
    {
    }

    public IReadOnlyList<CalibrationTensor> Inputs { get; }

    /// <summary>Rows in the batch: the first dimension of the first input (1 for a scalar input).</summary>
    public long RowCount => Inputs[0].Shape.Length > 0 ? Inputs[0].Shape[0] : 1;
}

/// <summary>Supplies calibration batches. Each call to <see cref="ReadBatchesAsync"/> starts from the first batch again.</summary>
public interface ICalibrationDataSource
{
    IAsyncEnumerable<CalibrationBatch> ReadBatchesAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Runs a float model over calibration batches and returns, for each batch, the requested outputs as flat float
/// arrays keyed by output name. Implemented over an inference engine (ONNX Runtime in this pipeline), so the
/// quantization library itself needs none.
/// </summary>
public interface ICalibrationRunner
{
    /// <param name="model">A serialized ONNX model.</param>
    /// <param name="outputNames">The graph outputs to return for every batch; all are float tensors.</param>
    IAsyncEnumerable<IReadOnlyDictionary<string, float[]>> RunAsync(ReadOnlyMemory<byte> model, IAsyncEnumerable<CalibrationBatch> batches,
        IReadOnlyList<string> outputNames, CancellationToken cancellationToken = default);
}
