using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>Named tensors as ORT values over their own buffers (for one run), and copies of ORT-owned outputs.</summary>
internal readonly struct OrtValues : IDisposable
{
    private OrtValues(string[] names, OrtValue[] values)
    {
        Names = names;
        Values = values;
    }

    public string[] Names { get; }

    public OrtValue[] Values { get; }

    public static OrtValues Over(IReadOnlyList<NamedTensor> tensors, string parameter)
    {
        var names = new string[tensors.Count];
        var values = new OrtValue[tensors.Count];
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                var tensor = tensors[i].Tensor ?? throw new ArgumentException($"Tensor '{tensors[i].Name}' is null.", parameter);
                names[i] = tensors[i].Name;
                values[i] = tensor.ToOrtValue();
            }
        }
        catch
        {
            new OrtValues(names, values).Dispose();
            throw;
        }

        return new OrtValues(names, values);
    }

    /// <summary>Copies a tensor ORT allocated into managed memory, so the native value can be released at once.</summary>
    public static DenseTensor Copy(OrtValue value, string name)
    {
        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new NotSupportedException($"Output '{name}' is a {value.OnnxType} value; only tensor outputs can be read.");
        }

        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return (TensorElementType)info.ElementDataType switch
        {
            TensorElementType.Float => Copy<float>(value, shape),
            TensorElementType.Double => Copy<double>(value, shape),
            TensorElementType.Float16 => new DenseTensor<Half>(MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>()).ToArray(), shape),
            TensorElementType.Int8 => Copy<sbyte>(value, shape),
            TensorElementType.UInt8 => Copy<byte>(value, shape),
            TensorElementType.Int16 => Copy<short>(value, shape),
            TensorElementType.UInt16 => Copy<ushort>(value, shape),
            TensorElementType.Int32 => Copy<int>(value, shape),
            TensorElementType.UInt32 => Copy<uint>(value, shape),
            TensorElementType.Int64 => Copy<long>(value, shape),
            TensorElementType.UInt64 => Copy<ulong>(value, shape),
            TensorElementType.Bool => Copy<bool>(value, shape),
            TensorElementType.String => new StringTensor(value.GetStringTensorAsArray(), shape),
            var type => throw new NotSupportedException(
                $"Output '{name}' has element type {type}; only numeric, bool and string tensors are read."),
        };
    }

    public void Dispose()
    {
        foreach (var value in Values ?? [])
        {
            value?.Dispose();
        }
    }

    private static DenseTensor<T> Copy<T>(OrtValue value, long[] shape) where T : unmanaged =>
        new(value.GetTensorDataAsSpan<T>().ToArray(), shape);
}
