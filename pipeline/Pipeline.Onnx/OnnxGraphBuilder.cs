using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx;

/// <summary>
/// Assembles a graph: typed inputs and outputs, initializers and nodes (added in topological order).
/// Mistakes that involve more than one element (duplicate names, values nothing produces) are reported all
/// together by <see cref="Build"/> or by <see cref="OnnxModelBuilder.Build"/>.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;

    public OnnxGraphBuilder(string name)
    {
        OnnxNames.RequireName(name, "A graph");
        _graph = new GraphProto { Name = name };
    }

    public OnnxGraphBuilder WithDocString(string docString)
    {
        _graph.DocString = docString;
        return this;
    }

    public OnnxGraphBuilder AddInput(string name, DataType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        _graph.Input.Add(OnnxValueInfo.Tensor(name, elementType, shape));
        return this;
    }

    public OnnxGraphBuilder AddOutput(string name, DataType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        _graph.Output.Add(OnnxValueInfo.Tensor(name, elementType, shape));
        return this;
    }

    /// <summary>Declares the type and shape of an intermediate value (optional; shape inference can work it out).</summary>
    public OnnxGraphBuilder AddValueInfo(string name, DataType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        _graph.ValueInfo.Add(OnnxValueInfo.Tensor(name, elementType, shape));
        return this;
    }

    public OnnxGraphBuilder AddFloatInitializer(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> dims) =>
        AddInitializer(OnnxTensors.FromFloats(name, values, dims));

    public OnnxGraphBuilder AddInt64Initializer(string name, ReadOnlySpan<long> values, params ReadOnlySpan<long> dims) =>
        AddInitializer(OnnxTensors.FromInt64s(name, values, dims));

    public OnnxGraphBuilder AddInitializer(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Adds a node of the default operator set. Pass an empty input name for a missing optional input.</summary>
    public OnnxGraphBuilder AddNode(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs,
        params IEnumerable<AttributeProto> attributes)
    {
        OnnxNames.RequireName(opType, "A node's operator type");
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return AddNode(node);
    }

    /// <summary>Adds a prepared node, for example one of another operator domain or with a doc string.</summary>
    public OnnxGraphBuilder AddNode(NodeProto node)
    {
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>Returns a validated copy of the graph; the builder can keep being used.</summary>
    public GraphProto Build()
    {
        var graph = ToProto();
        OnnxModelValidator.Validate(graph);
        return graph;
    }

    internal GraphProto ToProto() => _graph.Clone();
}
