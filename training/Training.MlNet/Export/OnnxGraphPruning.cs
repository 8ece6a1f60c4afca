using Pipeline.Onnx.Protos;

namespace Training.MlNet;

/// <summary>Graph clean-up after the outputs changed: drops what no output needs, and renames values.</summary>
internal static class OnnxGraphPruning
{
    /// <summary>Keeps only the nodes, initializers and value_info the graph outputs depend on; returns the values they read.</summary>
    public static HashSet<string> RemoveUnneeded(GraphProto graph)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var keep = new List<NodeProto>();
        // Nodes are topologically sorted, so one backward pass finds every producer an output depends on.
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            keep.Add(node);
            needed.UnionWith(node.Input.Where(n => n.Length > 0));
        }
        keep.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(keep);
        Filter(graph.Initializer, t => needed.Contains(t.Name));
        Filter(graph.ValueInfo, v => needed.Contains(v.Name));
        return needed;
    }

    /// <summary>Renames a value everywhere it appears (inputs, outputs, initializers, node inputs and outputs).</summary>
    public static void Rename(GraphProto graph, string from, string to)
    {
        foreach (var value in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo).Where(v => v.Name == from)) value.Name = to;
        foreach (var tensor in graph.Initializer.Where(t => t.Name == from)) tensor.Name = to;
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++) if (node.Input[i] == from) node.Input[i] = to;
            for (var i = 0; i < node.Output.Count; i++) if (node.Output[i] == from) node.Output[i] = to;
        }
    }

    public static bool IsDefined(GraphProto graph, string name) =>
        graph.Input.Any(v => v.Name == name) || graph.Output.Any(v => v.Name == name) || graph.Initializer.Any(t => t.Name == name)
        || graph.Node.Any(n => n.Output.Contains(name) || n.Input.Contains(name));

    private static void Filter<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> keep)
    {
        var kept = items.Where(keep).ToList();
        items.Clear();
        items.AddRange(kept);
    }
}
