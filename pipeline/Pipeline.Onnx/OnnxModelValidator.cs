using Pipeline.Onnx.Protos;

namespace Pipeline.Onnx;

/// <summary>
/// Catches the obvious structural mistakes (missing or duplicate names, values nothing produces, unimported
/// operator domains, tensors whose data does not match their dims) before a model is written, with messages
/// that name the offending element. It does not know operator schemas; the official ONNX checker does that.
/// Subgraphs (If/Loop bodies) are not inspected because they may read values of the enclosing graph.
/// </summary>
public static class OnnxModelValidator
{
    public static void Validate(ModelProto model)
    {
        var problems = FindProblems(model);
        if (problems.Count > 0) throw new OnnxModelValidationException(problems);
    }

    public static void Validate(GraphProto graph)
    {
        var problems = FindProblems(graph);
        if (problems.Count > 0) throw new OnnxModelValidationException(problems);
    }

    public static IReadOnlyList<string> FindProblems(ModelProto model)
    {
        var problems = new List<string>();
        if (!model.HasIrVersion || model.IrVersion <= 0)
            problems.Add("The model has no IR version; set ir_version (8 for ONNX 1.10-1.12 tools).");
        var imported = CheckOpsetImports(model, problems);
        CheckMetadata(model, problems);
        if (model.Graph is null)
        {
            problems.Add("The model has no graph.");
            return problems;
        }
        foreach (var node in model.Graph.Node)
        {
            var domain = OnnxDomains.Normalize(node.Domain);
            if (!imported.Contains(domain))
                problems.Add($"Node {Describe(node)} uses operator domain '{domain}', which the model does not import; add an opset_import for it.");
        }
        problems.AddRange(FindProblems(model.Graph));
        return problems;
    }

    public static IReadOnlyList<string> FindProblems(GraphProto graph)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(graph.Name)) problems.Add("The graph has no name.");

        var inputs = CheckValueInfos(graph.Input, "input", problems);
        CheckValueInfos(graph.Output, "output", problems);
        var initializers = CheckInitializers(graph, problems);

        // Values visible so far, in node order: ONNX requires nodes to be topologically sorted.
        var available = new HashSet<string>(inputs, StringComparer.Ordinal);
        available.UnionWith(initializers);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
            foreach (var output in node.Output.Where(o => o.Length > 0))
                producers.TryAdd(output, node);

        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (string.IsNullOrWhiteSpace(node.OpType)) problems.Add($"Node {Describe(node)} has no op_type.");
            if (node.Name.Length > 0 && !nodeNames.Add(node.Name)) problems.Add($"Node name '{node.Name}' is used more than once.");
            foreach (var input in node.Input.Where(i => i.Length > 0 && !available.Contains(i)))
                problems.Add(producers.TryGetValue(input, out var later) && !ReferenceEquals(later, node)
                    ? $"Node {Describe(node)} reads '{input}' before node {Describe(later)} produces it; nodes must be in topological order."
                    : $"Node {Describe(node)} reads '{input}', which no graph input, initializer or node produces.");
            foreach (var output in node.Output.Where(o => o.Length > 0))
                if (!available.Add(output))
                    problems.Add($"Node {Describe(node)} produces '{output}', which is already defined; every value must have exactly one producer.");
        }

        foreach (var output in graph.Output.Where(o => o.Name.Length > 0 && !available.Contains(o.Name)))
            problems.Add($"Graph output '{output.Name}' is not produced by any node, input or initializer.");
        return problems;
    }

    private static HashSet<string> CheckOpsetImports(ModelProto model, List<string> problems)
    {
        var imported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var opset in model.OpsetImport)
        {
            var domain = OnnxDomains.Normalize(opset.Domain);
            if (!imported.Add(domain)) problems.Add($"Operator domain '{domain}' is imported more than once.");
            if (opset.Version <= 0) problems.Add($"Operator domain '{domain}' is imported with version {opset.Version}; versions start at 1.");
        }
        if (!imported.Contains(OnnxDomains.Default))
            problems.Add("The model does not import the default operator set; add an opset_import with an empty domain (for example version 17).");
        return imported;
    }

    private static void CheckMetadata(ModelProto model, List<string> problems)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in model.MetadataProps)
        {
            if (string.IsNullOrWhiteSpace(entry.Key)) problems.Add("A metadata_props entry has an empty key.");
            else if (!keys.Add(entry.Key)) problems.Add($"Metadata key '{entry.Key}' appears more than once; keys must be distinct.");
        }
    }

    private static HashSet<string> CheckValueInfos(IEnumerable<ValueInfoProto> values, string kind, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value.Name))
            {
                problems.Add($"A graph {kind} has no name.");
                continue;
            }
            if (!names.Add(value.Name)) problems.Add($"Graph {kind} name '{value.Name}' is used more than once.");
            if (value.Type?.TensorType is { } tensor && tensor.ElemType == 0)
                problems.Add($"Graph {kind} '{value.Name}' has no element type.");
            else if (value.Type is null)
                problems.Add($"Graph {kind} '{value.Name}' has no type; graph inputs and outputs must declare one.");
        }
        return names;
    }

    private static HashSet<string> CheckInitializers(GraphProto graph, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer)
        {
            if (string.IsNullOrWhiteSpace(tensor.Name))
            {
                problems.Add("An initializer has no name.");
                continue;
            }
            if (!names.Add(tensor.Name)) problems.Add($"Initializer name '{tensor.Name}' is used more than once.");
            if (tensor.DataType == 0) problems.Add($"Initializer '{tensor.Name}' has no data_type.");
            if (tensor.Dims.Any(d => d < 0)) problems.Add($"Initializer '{tensor.Name}' has a negative dimension in [{string.Join(", ", tensor.Dims)}].");
            else if (OnnxTensorData.FindMismatch(tensor) is { } mismatch)
                problems.Add($"Initializer '{tensor.Name}' {mismatch}.");
        }
        return names;
    }

    private static string Describe(NodeProto node) =>
        node.Name.Length > 0 ? $"'{node.Name}' ({node.OpType})" : $"{node.OpType} producing [{string.Join(", ", node.Output)}]";
}
