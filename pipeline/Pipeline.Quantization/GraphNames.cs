using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization;

/// <summary>
/// Hands out value, initializer and node names not yet used anywhere in a graph, so inserted nodes never collide
/// with the model's own names (ONNX requires every value to have exactly one producer).
/// </summary>
internal sealed class GraphNames
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public GraphNames(GraphProto graph)
    {
        foreach (var node in graph.Node)
        {
            _used.Add(node.Name);
            _used.UnionWith(node.Input);
            _used.UnionWith(node.Output);
        }
        _used.UnionWith(graph.Initializer.Select(t => t.Name));
        _used.UnionWith(graph.Input.Select(v => v.Name));
        _used.UnionWith(graph.Output.Select(v => v.Name));
        _used.UnionWith(graph.ValueInfo.Select(v => v.Name));
    }

    /// <summary>The preferred name if free, else the first free "{preferred}_{n}"; the name is reserved either way.</summary>
    public string Unique(string preferred)
    {
        if (_used.Add(preferred)) return preferred;
        for (var n = 1; ; n++)
        {
            var candidate = $"{preferred}_{n}";
            if (_used.Add(candidate)) return candidate;
        }
    }
}
