using Google.Protobuf;
using Pipeline.Onnx.Protos;
using AttributeType = Pipeline.Onnx.Protos.AttributeProto.Types.AttributeType;

namespace Pipeline.Onnx;

/// <summary>Creates node attributes with the type discriminator set to match the value field in use, as IR version 2+ requires.</summary>
public static class OnnxAttributes
{
    public static AttributeProto Int(string name, long value) => Create(name, AttributeType.Int, a => a.I = value);

    public static AttributeProto Float(string name, float value) => Create(name, AttributeType.Float, a => a.F = value);

    public static AttributeProto String(string name, string value) =>
        Create(name, AttributeType.String, a => a.S = ByteString.CopyFromUtf8(value));

    public static AttributeProto Tensor(string name, TensorProto value) =>
        Create(name, AttributeType.Tensor, a => a.T = value);

    public static AttributeProto Ints(string name, params IEnumerable<long> values) =>
        Create(name, AttributeType.Ints, a => a.Ints.AddRange(values));

    public static AttributeProto Floats(string name, params IEnumerable<float> values) =>
        Create(name, AttributeType.Floats, a => a.Floats.AddRange(values));

    public static AttributeProto Strings(string name, params IEnumerable<string> values) =>
        Create(name, AttributeType.Strings, a => a.Strings.AddRange(values.Select(ByteString.CopyFromUtf8)));

    private static AttributeProto Create(string name, AttributeType type, Action<AttributeProto> setValue)
    {
        OnnxNames.RequireName(name, "An attribute");
        var attribute = new AttributeProto { Name = name, Type = type };
        setValue(attribute);
        return attribute;
    }
}
