using Pipeline.OnnxRuntime.Native;

namespace Pipeline.OnnxRuntime;

/// <summary>Copies a tensor ORT allocated into managed memory, so the native value can be released at once.</summary>
internal static unsafe class OutputTensorReader
{
    public static DenseTensor Read(OrtApi api, nint value, string name)
    {
        var kind = api.GetValueType(value);
        if (kind != OnnxValueKind.Tensor)
        {
            throw new NotSupportedException($"Output '{name}' is a {kind} value; only tensor outputs can be read.");
        }

        TensorElementType type;
        long[] shape;
        long count;
        var info = api.GetTensorTypeAndShape(value);
        try
        {
            type = api.GetTensorElementType(info);
            shape = api.GetDimensions(info);
            count = api.GetTensorShapeElementCount(info);
        }
        finally
        {
            api.Release(OrtSlot.ReleaseTensorTypeAndShapeInfo, info);
        }

        var data = count == 0 ? null : api.GetTensorMutableData(value);
        return type switch
        {
            TensorElementType.Float => Copy<float>(data, count, shape),
            TensorElementType.Double => Copy<double>(data, count, shape),
            TensorElementType.Float16 => Copy<Half>(data, count, shape),
            TensorElementType.Int8 => Copy<sbyte>(data, count, shape),
            TensorElementType.UInt8 => Copy<byte>(data, count, shape),
            TensorElementType.Int16 => Copy<short>(data, count, shape),
            TensorElementType.UInt16 => Copy<ushort>(data, count, shape),
            TensorElementType.Int32 => Copy<int>(data, count, shape),
            TensorElementType.UInt32 => Copy<uint>(data, count, shape),
            TensorElementType.Int64 => Copy<long>(data, count, shape),
            TensorElementType.UInt64 => Copy<ulong>(data, count, shape),
            TensorElementType.Bool => Copy<bool>(data, count, shape),
            _ => throw new NotSupportedException(
                $"Output '{name}' has element type {type}; this binding reads numeric and bool tensors only."),
        };
    }

    private static DenseTensor<T> Copy<T>(void* data, long count, long[] shape) where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(checked((int)count));
        new ReadOnlySpan<T>(data, array.Length).CopyTo(array);
        return new DenseTensor<T>(array, shape);
    }
}
