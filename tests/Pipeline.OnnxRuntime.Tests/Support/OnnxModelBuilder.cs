using System.Runtime.InteropServices;

namespace Pipeline.OnnxRuntime.Tests.Support;

/// <summary>
/// Builds a ModelProto (IR 8, opset 17) with field numbers from onnx.proto, so tests can make exactly the model they
/// need: symbolic dimensions, metadata_props, initializers.
/// </summary>
public sealed class OnnxModelBuilder
{
    private readonly List<Action<ProtoWriter>> _graph = [];
    private readonly List<(string Key, string Value)> _metadata = [];

    public string ProducerName { get; init; } = "pipeline-tests";
    public string Domain { get; init; } = string.Empty;
    public string DocString { get; init; } = string.Empty;
    public string GraphName { get; init; } = "test-graph";
    public string GraphDocString { get; init; } = string.Empty;
    public long ModelVersion { get; init; }

    /// <summary>Each dimension is a long (fixed size) or a string (dim_param).</summary>
    public OnnxModelBuilder Input(string name, TensorElementType type, params object[] dims) => ValueInfo(11, name, type, dims);

    public OnnxModelBuilder Output(string name, TensorElementType type, params object[] dims) => ValueInfo(12, name, type, dims);

    public OnnxModelBuilder Initializer(string name, float[] data, params long[] dims)
    {
        _graph.Add(g => g.Message(5, t =>
        {
            foreach (var dim in dims)
            {
                t.Varint(1, dim);
            }

            t.Varint(2, (long)TensorElementType.Float).String(8, name).Bytes(9, MemoryMarshal.AsBytes(data.AsSpan()));
        }));
        return this;
    }

    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, long Value)[] intAttributes)
    {
        _graph.Add(g => g.Message(1, n =>
        {
            foreach (var input in inputs)
            {
                n.String(1, input);
            }

            foreach (var output in outputs)
            {
                n.String(2, output);
            }

            n.String(4, opType);
            foreach (var (attributeName, value) in intAttributes)
            {
                // AttributeProto: name 1, i 3, type 20 (INT = 2).
                n.Message(5, a => a.String(1, attributeName).Varint(3, value).Varint(20, 2));
            }
        }));
        return this;
    }

    public OnnxModelBuilder Metadata(string key, string value)
    {
        _metadata.Add((key, value));
        return this;
    }

    public byte[] Build()
    {
        var model = new ProtoWriter()
            .Varint(1, 8)
            .String(2, ProducerName)
            .String(4, Domain)
            .Varint(5, ModelVersion)
            .String(6, DocString)
            .Message(7, g =>
            {
                g.String(2, GraphName).String(10, GraphDocString);
                foreach (var part in _graph)
                {
                    part(g);
                }
            })
            .Message(8, opset => opset.String(1, string.Empty).Varint(2, 17));
        foreach (var (key, value) in _metadata)
        {
            model.Message(14, entry => entry.String(1, key).String(2, value));
        }

        return model.ToArray();
    }

    private OnnxModelBuilder ValueInfo(int field, string name, TensorElementType type, object[] dims)
    {
        _graph.Add(g => g.Message(field, info => info
            .String(1, name)
            .Message(2, typeProto => typeProto.Message(1, tensor => tensor
                .Varint(1, (long)type)
                .Message(2, shape =>
                {
                    foreach (var dim in dims)
                    {
                        shape.Message(1, d => _ = dim switch
                        {
                            string symbol => d.String(2, symbol),
                            _ => d.Varint(1, Convert.ToInt64(dim)),
                        });
                    }
                })))));
        return this;
    }
}
