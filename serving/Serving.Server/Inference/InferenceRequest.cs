namespace Serving.Server.Inference;

/// <summary>
/// An inference request as the client wrote it, before it is checked against the model. Owns the pooled buffers
/// of JSON tensor data until <see cref="InferenceCallBinder"/> moves them into an <see cref="InferenceCall"/>.
/// </summary>
internal sealed class InferenceRequest : IDisposable
{
    public string? Id { get; set; }

    /// <summary>The request-level binary_data_output parameter: outputs default to binary.</summary>
    public bool BinaryDataOutput { get; set; }

    public List<RequestInput> Inputs { get; } = new(1);

    /// <summary>Null when the request names no outputs (all outputs are returned).</summary>
    public List<RequestedOutput>? Outputs { get; set; }

    public void Dispose()
    {
        foreach (var input in Inputs) input.ReleaseData();
    }
}

internal sealed class RequestInput(int position)
{
    public int Position { get; } = position;

    public string? Name { get; set; }

    public string? Datatype { get; set; }

    public long[]? Shape { get; set; }

    /// <summary>Elements from the JSON "data" field, flattened row-major, in the model's element type for the input.</summary>
    public TensorBuffer? Data { get; private set; }

    /// <summary>
    /// Where a "data" array sits in the request text when it came before the input's "name": its element type is
    /// known only once the name says which model input it is, so it is read when the input object ends.
    /// </summary>
    public (int Start, int End)? DeferredData { get; set; }

    /// <summary>The binary tensor extension's binary_data_size parameter.</summary>
    public long? BinaryDataSize { get; set; }

    /// <summary>How messages name this input: its name once known, else its place in the array.</summary>
    public string Label => Name is null ? $"inputs[{Position}]" : $"'{Name}'";

    public void SetData(TensorBuffer data)
    {
        ReleaseData();
        Data = data;
    }

    /// <summary>Hands the buffer to a new owner, who disposes it.</summary>
    public TensorBuffer? TakeData()
    {
        var data = Data;
        Data = null;
        return data;
    }

    public void ReleaseData() => TakeData()?.Dispose();
}

internal readonly record struct RequestedOutput(string Name, bool? BinaryData);
