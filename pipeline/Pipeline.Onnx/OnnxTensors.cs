using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx;

/// <summary>
/// Creates tensors (initializers, attribute values) and reads their values back.
/// Values are written to raw_data as fixed-width little-endian elements, the compact form ONNX Runtime loads
/// fastest; reading accepts raw_data and the typed fields, since other tools write either.
/// </summary>
public static class OnnxTensors
{
    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> dims) =>
        FromValues(name, DataType.Float, values, dims);

    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> values, params ReadOnlySpan<long> dims) =>
        FromValues(name, DataType.Int64, values, dims);

    /// <summary>int8 values, as quantized weights are stored (one byte each, so byte order never matters).</summary>
    public static TensorProto FromInt8s(string name, ReadOnlySpan<sbyte> values, params ReadOnlySpan<long> dims) =>
        FromValues(name, DataType.Int8, values, dims);

    public static TensorProto FromUInt8s(string name, ReadOnlySpan<byte> values, params ReadOnlySpan<long> dims) =>
        FromValues(name, DataType.Uint8, values, dims);

    public static float[] ToFloats(TensorProto tensor) => ToValues(tensor, DataType.Float, t => t.FloatData);

    // Other tools store 8-bit values in int32_data, one per element.
    public static sbyte[] ToInt8s(TensorProto tensor) => ToValues(tensor, DataType.Int8, t => t.Int32Data.Select(v => (sbyte)v));

    public static byte[] ToUInt8s(TensorProto tensor) => ToValues(tensor, DataType.Uint8, t => t.Int32Data.Select(v => (byte)v));

    public static long[] ToInt64s(TensorProto tensor) => ToValues(tensor, DataType.Int64, t => t.Int64Data);

    private static TensorProto FromValues<T>(string name, DataType type, ReadOnlySpan<T> values, ReadOnlySpan<long> dims)
        where T : unmanaged
    {
        OnnxNames.RequireName(name, "A tensor");
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        foreach (var dim in dims)
        {
            if (dim < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension {dim}.", nameof(dims));
            tensor.Dims.Add(dim);
        }
        var count = OnnxTensorData.ElementCount(tensor);
        if (count != values.Length)
            throw new ArgumentException(
                $"Tensor '{name}' has dims [{string.Join(", ", tensor.Dims)}] ({count} elements) but {values.Length} values were given.",
                nameof(dims));

        var rawData = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian) ReverseEachElement(rawData, Unsafe.SizeOf<T>());
        // The array is ours and never written again, so the ByteString can wrap it instead of copying.
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(rawData);
        return tensor;
    }

    private static T[] ToValues<T>(TensorProto tensor, DataType type, Func<TensorProto, IEnumerable<T>> typedField)
        where T : unmanaged
    {
        if ((DataType)tensor.DataType != type)
            throw new InvalidOperationException($"Tensor '{tensor.Name}' holds {(DataType)tensor.DataType} elements, not {type}.");
        if (OnnxTensorData.IsExternal(tensor))
            throw new NotSupportedException($"Tensor '{tensor.Name}' keeps its data in an external file; load models with embedded data.");
        if (OnnxTensorData.FindMismatch(tensor) is { } mismatch)
            throw new InvalidDataException($"Tensor '{tensor.Name}' {mismatch}.");
        if (!tensor.HasRawData) return typedField(tensor).ToArray();

        var rawData = tensor.RawData.ToByteArray();
        if (!BitConverter.IsLittleEndian) ReverseEachElement(rawData, Unsafe.SizeOf<T>());
        return MemoryMarshal.Cast<byte, T>(rawData).ToArray();
    }

    // raw_data is little-endian by definition; on a big-endian machine each element's bytes are swapped.
    private static void ReverseEachElement(byte[] bytes, int elementSize)
    {
        for (var offset = 0; offset < bytes.Length; offset += elementSize)
            bytes.AsSpan(offset, elementSize).Reverse();
    }
}
