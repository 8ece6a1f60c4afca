using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization;

/// <summary>The graph's initializers by name, and whether one can serve as a quantizable weight.</summary>
internal sealed class ConstantWeights
{
    private readonly GraphProto _graph;
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphInputs;

    public ConstantWeights(GraphProto graph)
    {
        _graph = graph;
        foreach (var tensor in graph.Initializer) _initializers.TryAdd(tensor.Name, tensor);
        _graphInputs = graph.Input.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
    }

    public TensorProto? Find(string name) => _initializers.GetValueOrDefault(name);

    /// <summary>A float initializer that callers cannot override at run time (not also listed as a graph input).</summary>
    public TensorProto? FindConstantFloat(string name) =>
        Find(name) is { } tensor && !_graphInputs.Contains(name) && tensor.DataType == (int)DataType.Float && !OnnxTensorData.IsExternal(tensor)
            ? tensor
            : null;

    public void Add(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        _initializers.Add(tensor.Name, tensor);
    }

    /// <summary>Why the value cannot be a quantized MatMul weight, or null if it can.</summary>
    public string? WhyNotQuantizable(string name)
    {
        if (name.Length == 0) return "it has no weight input";
        if (Find(name) is not { } tensor) return $"its weight '{name}' is computed at run time, not a constant initializer";
        if (_graphInputs.Contains(name)) return $"its weight '{name}' is also a graph input, so callers can override it at run time";
        if (tensor.DataType != (int)DataType.Float) return $"its weight '{name}' holds {(DataType)tensor.DataType} elements, not float";
        if (OnnxTensorData.IsExternal(tensor)) return $"its weight '{name}' is stored in an external data file; load the model with its data embedded";
        if (tensor.Dims.Count != 2) return $"its weight '{name}' has {tensor.Dims.Count} dimensions; only 2-D weights are quantized";
        return null;
    }
}
