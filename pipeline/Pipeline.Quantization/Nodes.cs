using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization;

/// <summary>Creates default-domain nodes for the rewrites.</summary>
internal static class Nodes
{
    public static NodeProto Create(string opType, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>A name to derive inserted names from: the node's own name, or its first output for unnamed nodes.</summary>
    public static string Label(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? node.OpType;

    public static float FloatAttribute(NodeProto node, string name, float defaultValue) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.F : defaultValue;

    public static long IntAttribute(NodeProto node, string name, long defaultValue) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : defaultValue;
}
