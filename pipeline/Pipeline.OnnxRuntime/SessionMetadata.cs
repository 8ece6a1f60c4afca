using System.Collections.ObjectModel;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>ORT's input/output descriptions and model metadata as the project's records, read once per session.</summary>
internal static class SessionMetadata
{
    public static IReadOnlyList<NodeMetadata> Nodes(IReadOnlyList<string> names, IReadOnlyDictionary<string, Ort.NodeMetadata> nodes) =>
        Array.AsReadOnly(names.Select(name => Describe(name, nodes[name])).ToArray());

    public static ModelMetadata Model(Ort.ModelMetadata metadata) => new(
        metadata.ProducerName,
        metadata.GraphName,
        metadata.Domain,
        metadata.Description,
        metadata.GraphDescription,
        metadata.Version,
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(metadata.CustomMetadataMap, StringComparer.Ordinal)));

    private static NodeMetadata Describe(string name, Ort.NodeMetadata node)
    {
        var kind = (OnnxValueKind)node.OnnxValueType;
        if (kind != OnnxValueKind.Tensor)
        {
            return new NodeMetadata(name, kind, TensorElementType.Undefined, [], []);
        }

        return new NodeMetadata(
            name,
            kind,
            (TensorElementType)node.ElementDataType,
            Array.AsReadOnly(node.Dimensions.Select(dim => (long)dim).ToArray()),
            Array.AsReadOnly(node.SymbolicDimensions.ToArray()));
    }
}
