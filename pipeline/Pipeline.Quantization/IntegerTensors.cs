using System.Runtime.InteropServices;
using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization;

/// <summary>
/// Creates and reads int8 and uint8 tensors, the element types quantized models store.
/// Values go to raw_data (one byte each, so no byte-order concerns); reading also accepts int32_data,
/// which other tools use for these types.
/// </summary>
public static class IntegerTensors
{
    public static TensorProto FromInt8s(string name, ReadOnlySpan<sbyte> values, params ReadOnlySpan<long> dims) =>
        Create(name, DataType.Int8, MemoryMarshal.AsBytes(values), dims);

    public static TensorProto FromUInt8s(string name, ReadOnlySpan<byte> values, params ReadOnlySpan<long> dims) =>
        Create(name, DataType.Uint8, values, dims);

    public static sbyte[] ToInt8s(TensorProto tensor) =>
        MemoryMarshal.Cast<byte, sbyte>(Read(tensor, DataType.Int8, v => (byte)(sbyte)v)).ToArray();

    public static byte[] ToUInt8s(TensorProto tensor) => Read(tensor, DataType.Uint8, v => (byte)v);

    private static TensorProto Create(string name, DataType type, ReadOnlySpan<byte> bytes, ReadOnlySpan<long> dims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        foreach (var dim in dims) tensor.Dims.Add(dim >= 0 ? dim : throw new ArgumentException($"Tensor '{name}' has a negative dimension {dim}.", nameof(dims)));
        if (OnnxTensorData.ElementCount(tensor) != bytes.Length)
            throw new ArgumentException(
                $"Tensor '{name}' has dims [{string.Join(", ", tensor.Dims)}] ({OnnxTensorData.ElementCount(tensor)} elements) but {bytes.Length} values were given.",
                nameof(dims));
        tensor.RawData = ByteString.CopyFrom(bytes);
        return tensor;
    }

    private static byte[] Read(TensorProto tensor, DataType type, Func<int, byte> fromInt32)
    {
        if ((DataType)tensor.DataType != type)
            throw new InvalidOperationException($"Tensor '{tensor.Name}' holds {(DataType)tensor.DataType} elements, not {type}.");
        if (OnnxTensorData.IsExternal(tensor))
            throw new NotSupportedException($"Tensor '{tensor.Name}' keeps its data in an external file; load models with embedded data.");
        if (OnnxTensorData.FindMismatch(tensor) is { } mismatch)
            throw new InvalidDataException($"Tensor '{tensor.Name}' {mismatch}.");
        return tensor.HasRawData ? tensor.RawData.ToByteArray() : tensor.Int32Data.Select(fromInt32).ToArray();
    }
}
