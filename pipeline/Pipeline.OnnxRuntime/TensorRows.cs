namespace Pipeline.OnnxRuntime;

/// <summary>
/// Rows of a tensor whose first dimension is the row (batch) axis: a slice shares the buffer of a numeric tensor
/// (no copy), a gather copies. Strings are always copied, as ORT copies them anyway.
/// </summary>
public static class TensorRows
{
    /// <summary>Rows <paramref name="start"/>..<paramref name="start"/>+<paramref name="count"/> of <paramref name="tensor"/>.</summary>
    public static DenseTensor Slice(DenseTensor tensor, int start, int count)
    {
        var (rows, width) = Layout(tensor);
        if (start < 0 || count < 0 || start + count > rows)
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows {start}..{start + count} are outside the tensor's {rows} rows.");
        var shape = ShapeWithRows(tensor, count);
        return tensor switch
        {
            StringTensor strings => new StringTensor(strings.Values.AsSpan(start * width, count * width).ToArray(), shape),
            DenseTensor<float> t => SliceNumeric(t, start * width, count * width, shape),
            DenseTensor<double> t => SliceNumeric(t, start * width, count * width, shape),
            DenseTensor<int> t => SliceNumeric(t, start * width, count * width, shape),
            DenseTensor<long> t => SliceNumeric(t, start * width, count * width, shape),
            DenseTensor<bool> t => SliceNumeric(t, start * width, count * width, shape),
            DenseTensor<byte> t => SliceNumeric(t, start * width, count * width, shape),
            _ => throw Unsupported(tensor),
        };
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order (an index may repeat).</summary>
    public static DenseTensor Gather(DenseTensor tensor, IReadOnlyList<int> indices)
    {
        var (rows, width) = Layout(tensor);
        foreach (var index in indices)
            if (index < 0 || index >= rows) throw new ArgumentOutOfRangeException(nameof(indices), index, $"Row {index} is outside the tensor's {rows} rows.");
        var shape = ShapeWithRows(tensor, indices.Count);
        return tensor switch
        {
            StringTensor strings => new StringTensor(GatherArray(strings.Values, indices, width), shape),
            DenseTensor<float> t => GatherNumeric(t, indices, width, shape),
            DenseTensor<double> t => GatherNumeric(t, indices, width, shape),
            DenseTensor<int> t => GatherNumeric(t, indices, width, shape),
            DenseTensor<long> t => GatherNumeric(t, indices, width, shape),
            DenseTensor<bool> t => GatherNumeric(t, indices, width, shape),
            DenseTensor<byte> t => GatherNumeric(t, indices, width, shape),
            _ => throw Unsupported(tensor),
        };
    }

    public static NamedTensor Slice(NamedTensor tensor, int start, int count) => new(tensor.Name, Slice(tensor.Tensor, start, count));

    public static NamedTensor Gather(NamedTensor tensor, IReadOnlyList<int> indices) => new(tensor.Name, Gather(tensor.Tensor, indices));

    /// <summary>Rows in the tensor and elements per row.</summary>
    public static (int Rows, int Width) Layout(DenseTensor tensor)
    {
        if (tensor.Shape.Count == 0)
            throw new ArgumentException("A scalar tensor has no rows; row-wise tensors have the batch as their first dimension.", nameof(tensor));
        var rows = checked((int)tensor.Shape[0]);
        var width = rows == 0 ? 0 : checked((int)(tensor.ElementCount / rows));
        return (rows, width);
    }

    private static long[] ShapeWithRows(DenseTensor tensor, int rows)
    {
        var shape = tensor.Shape.ToArray();
        shape[0] = rows;
        return shape;
    }

    private static DenseTensor<T> SliceNumeric<T>(DenseTensor<T> tensor, int start, int length, long[] shape) where T : unmanaged =>
        new(tensor.Buffer.Slice(start, length), shape);

    private static DenseTensor<T> GatherNumeric<T>(DenseTensor<T> tensor, IReadOnlyList<int> indices, int width, long[] shape) where T : unmanaged
    {
        var result = new T[indices.Count * width];
        var source = tensor.Span;
        for (var i = 0; i < indices.Count; i++)
            source.Slice(indices[i] * width, width).CopyTo(result.AsSpan(i * width));
        return new DenseTensor<T>(result, shape);
    }

    private static T[] GatherArray<T>(T[] source, IReadOnlyList<int> indices, int width)
    {
        var result = new T[indices.Count * width];
        for (var i = 0; i < indices.Count; i++)
            Array.Copy(source, indices[i] * width, result, i * width, width);
        return result;
    }

    private static NotSupportedException Unsupported(DenseTensor tensor) =>
        new($"Rows of {tensor.ElementType} tensors cannot be sliced; the test data's inputs are float, double, int32, int64, bool, uint8 or string.");
}
