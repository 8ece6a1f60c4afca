using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx;

/// <summary>Creates the typed value descriptions used for graph inputs, outputs and intermediate shapes.</summary>
public static class OnnxValueInfo
{
    public static ValueInfoProto Tensor(string name, DataType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        OnnxNames.RequireName(name, "A tensor value");
        if (elementType == DataType.Undefined)
            throw new ArgumentException($"Tensor value '{name}' needs an element type; UNDEFINED is not one.", nameof(elementType));

        var tensorShape = new TensorShapeProto();
        foreach (var dimension in shape) tensorShape.Dim.Add(dimension.ToProto());
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = tensorShape } },
        };
    }
}
