using Pipeline.Onnx.Protos;

namespace Pipeline.Onnx;

/// <summary>
/// Lookups and in-place edits on a graph, the building blocks of graph rewrites such as quantization.
/// Nodes are matched by reference, not by value, since two nodes may compare equal field by field.
/// </summary>
public static class OnnxGraphEditing
{
    public static TensorProto? FindInitializer(this GraphProto graph, string name) =>
        graph.Initializer.FirstOrDefault(t => t.Name == name);

    public static TensorProto GetInitializer(this GraphProto graph, string name) =>
        graph.FindInitializer(name)
        ?? throw new KeyNotFoundException($"Graph '{graph.Name}' has no initializer named '{name}'.");

    /// <summary>Removes the initializer with that name; returns false if there was none.</summary>
    public static bool RemoveInitializer(this GraphProto graph, string name)
    {
        var index = IndexWhere(graph.Initializer, t => t.Name == name);
        if (index < 0) return false;
        graph.Initializer.RemoveAt(index);
        return true;
    }

    public static NodeProto? FindNode(this GraphProto graph, string name) =>
        graph.Node.FirstOrDefault(n => n.Name == name);

    /// <summary>The node whose outputs include the value, or null if it is a graph input, an initializer or unknown.</summary>
    public static NodeProto? FindProducer(this GraphProto graph, string valueName) =>
        graph.Node.FirstOrDefault(n => n.Output.Contains(valueName));

    /// <summary>The nodes that read the value, in graph order.</summary>
    public static IReadOnlyList<NodeProto> FindConsumers(this GraphProto graph, string valueName) =>
        graph.Node.Where(n => n.Input.Contains(valueName)).ToList();

    public static IReadOnlyList<NodeProto> FindNodesOfType(this GraphProto graph, string opType, string domain = "") =>
        graph.Node.Where(n => n.OpType == opType && OnnxDomains.AreSame(n.Domain, domain)).ToList();

    /// <summary>
    /// Puts the replacement nodes where the existing node was, which keeps the graph topologically sorted as
    /// long as the replacements read only what the existing node could read and are given in dependency order.
    /// </summary>
    public static void ReplaceNode(this GraphProto graph, NodeProto existing, params IEnumerable<NodeProto> replacements)
    {
        var index = IndexWhere(graph.Node, n => ReferenceEquals(n, existing));
        if (index < 0)
            throw new ArgumentException($"Node '{existing.Name}' ({existing.OpType}) is not part of graph '{graph.Name}'.", nameof(existing));
        graph.Node.RemoveAt(index);
        foreach (var replacement in replacements) graph.Node.Insert(index++, replacement);
    }

    private static int IndexWhere<T>(IList<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
            if (match(items[i])) return i;
        return -1;
    }
}
