using System.Runtime.InteropServices;

namespace Pipeline.OnnxRuntime.Native;

internal sealed unsafe partial class OrtApi
{
    private const int OrtArenaAllocator = 1;
    private const int OrtMemTypeDefault = 0;

    /// <summary>Describes ordinary CPU memory, which is what every managed buffer handed to ORT is.</summary>
    public nint CreateCpuMemoryInfo()
    {
        nint info;
        Check(((delegate* unmanaged<int, int, nint*, nint>)_table[OrtSlot.CreateCpuMemoryInfo])(OrtArenaAllocator, OrtMemTypeDefault, &info));
        return info;
    }

    /// <summary>Wraps caller memory without copying; it must stay pinned until the value is released.</summary>
    public nint CreateTensorWithData(nint memoryInfo, void* data, nuint byteLength, ReadOnlySpan<long> shape, TensorElementType type)
    {
        nint value;
        fixed (long* dims = shape)
        {
            Check(((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)_table[OrtSlot.CreateTensorWithDataAsOrtValue])(
                memoryInfo, data, byteLength, dims, (nuint)shape.Length, (int)type, &value));
        }

        return value;
    }

    public OnnxValueKind GetValueType(nint value)
    {
        int kind;
        Check(((delegate* unmanaged<nint, int*, nint>)_table[OrtSlot.GetValueType])(value, &kind));
        return (OnnxValueKind)kind;
    }

    public void* GetTensorMutableData(nint value)
    {
        void* data;
        Check(((delegate* unmanaged<nint, void**, nint>)_table[OrtSlot.GetTensorMutableData])(value, &data));
        return data;
    }

    /// <summary>Returns an OrtTensorTypeAndShapeInfo the caller must release.</summary>
    public nint GetTensorTypeAndShape(nint value) => GetPointer(OrtSlot.GetTensorTypeAndShape, value);

    /// <summary>Returns the tensor info owned by <paramref name="typeInfo"/>, or 0 when the type is not a tensor.</summary>
    public nint CastTypeInfoToTensorInfo(nint typeInfo) => GetPointer(OrtSlot.CastTypeInfoToTensorInfo, typeInfo);

    public OnnxValueKind GetOnnxTypeFromTypeInfo(nint typeInfo)
    {
        int kind;
        Check(((delegate* unmanaged<nint, int*, nint>)_table[OrtSlot.GetOnnxTypeFromTypeInfo])(typeInfo, &kind));
        return (OnnxValueKind)kind;
    }

    public TensorElementType GetTensorElementType(nint tensorInfo)
    {
        int type;
        Check(((delegate* unmanaged<nint, int*, nint>)_table[OrtSlot.GetTensorElementType])(tensorInfo, &type));
        return (TensorElementType)type;
    }

    public long[] GetDimensions(nint tensorInfo)
    {
        nuint count;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_table[OrtSlot.GetDimensionsCount])(tensorInfo, &count));
        var dims = new long[checked((int)count)];
        fixed (long* d = dims)
        {
            Check(((delegate* unmanaged<nint, long*, nuint, nint>)_table[OrtSlot.GetDimensions])(tensorInfo, d, count));
        }

        return dims;
    }

    /// <summary>The dim_param names; "" where a dimension has none. The strings belong to the tensor info.</summary>
    public string[] GetSymbolicDimensions(nint tensorInfo, int rank)
    {
        var names = new nint[rank];
        fixed (nint* n = names)
        {
            Check(((delegate* unmanaged<nint, nint*, nuint, nint>)_table[OrtSlot.GetSymbolicDimensions])(tensorInfo, n, (nuint)rank));
        }

        return Array.ConvertAll(names, name => Marshal.PtrToStringUTF8(name) ?? string.Empty);
    }

    public long GetTensorShapeElementCount(nint tensorInfo)
    {
        nuint count;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_table[OrtSlot.GetTensorShapeElementCount])(tensorInfo, &count));
        return checked((long)count);
    }

    public void ReleaseValue(nint value) => Release(OrtSlot.ReleaseValue, value);

    public void Release(int slot, nint value) => ((delegate* unmanaged<nint, void>)_table[slot])(value);
}
