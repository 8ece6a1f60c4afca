using Pipeline.OnnxRuntime;

namespace Serving.Server.Model;

/// <summary>
/// One model input or output as the server serves it: a variable batch dimension first, fixed sizes after.
/// <see cref="Shape"/> is what metadata reports (-1 for the batch dimension).
/// </summary>
internal sealed class TensorSpec
{
    public TensorSpec(string name, TensorElementType elementType, long[] shape)
    {
        Name = name;
        ElementType = elementType;
        Datatype = TensorDatatypes.ToDatatype(elementType);
        Shape = shape;
        long row = 1;
        for (var i = 1; i < shape.Length; i++) row *= shape[i];
        RowElementCount = checked((int)row);
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    /// <summary>The Open Inference Protocol name of the element type, such as FP32.</summary>
    public string Datatype { get; }

    public long[] Shape { get; }

    public int Rank => Shape.Length;

    /// <summary>Elements in one batch row: the product of every dimension after the first.</summary>
    public int RowElementCount { get; }

    public long[] ShapeWithBatch(int rows)
    {
        var shape = (long[])Shape.Clone();
        shape[0] = rows;
        return shape;
    }

    /// <summary>The shape as text, such as [-1, 784].</summary>
    public string DescribeShape() => "[" + string.Join(", ", Shape) + "]";
}
