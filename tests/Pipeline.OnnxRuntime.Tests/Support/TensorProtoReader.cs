using System.Runtime.InteropServices;

namespace Pipeline.OnnxRuntime.Tests.Support;

/// <summary>
/// Reads an ONNX TensorProto (the backend tests' input_N.pb / output_N.pb) into a tensor. Field numbers from
/// onnx.proto: dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9, double_data 10,
/// uint64_data 11. Repeated numeric fields may be packed or not.
/// </summary>
public static class TensorProtoReader
{
    public static NamedTensor Read(string path) => Parse(File.ReadAllBytes(path));

    public static NamedTensor Parse(ReadOnlySpan<byte> bytes)
    {
        var dims = new List<long>();
        var type = TensorElementType.Undefined;
        var name = string.Empty;
        byte[]? raw = null;
        var floats = new List<float>();
        var doubles = new List<double>();
        var integers = new List<long>();

        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1: ReadRepeatedVarints(ref reader, wire, dims); break;
                case 2: type = (TensorElementType)reader.ReadVarint(); break;
                case 4: ReadRepeatedFixed(ref reader, wire, 4, bits => floats.Add(BitConverter.UInt32BitsToSingle((uint)bits))); break;
                case 5 or 7 or 11: ReadRepeatedVarints(ref reader, wire, integers); break;
                case 8: name = System.Text.Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case 9: raw = reader.ReadBytes().ToArray(); break;
                case 10: ReadRepeatedFixed(ref reader, wire, 8, bits => doubles.Add(BitConverter.UInt64BitsToDouble(bits))); break;
                default: reader.Skip(wire); break;
            }
        }

        var shape = dims.ToArray();
        DenseTensor tensor = type switch
        {
            TensorElementType.Float => Make(raw, floats.ToArray(), shape),
            TensorElementType.Double => Make(raw, doubles.ToArray(), shape),
            TensorElementType.Int64 => Make(raw, integers.ToArray(), shape),
            TensorElementType.UInt64 => Make(raw, integers.Select(v => (ulong)v).ToArray(), shape),
            TensorElementType.Int32 => Make(raw, integers.Select(v => (int)v).ToArray(), shape),
            TensorElementType.UInt32 => Make(raw, integers.Select(v => (uint)v).ToArray(), shape),
            TensorElementType.Int16 => Make(raw, integers.Select(v => (short)v).ToArray(), shape),
            TensorElementType.UInt16 => Make(raw, integers.Select(v => (ushort)v).ToArray(), shape),
            TensorElementType.Int8 => Make(raw, integers.Select(v => (sbyte)v).ToArray(), shape),
            TensorElementType.UInt8 => Make(raw, integers.Select(v => (byte)v).ToArray(), shape),
            TensorElementType.Bool => Make(raw, integers.Select(v => v != 0).ToArray(), shape),
            // float16 values travel in int32_data as their bit patterns.
            TensorElementType.Float16 => Make(raw, integers.Select(v => BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(), shape),
            _ => throw new NotSupportedException($"TensorProto '{name}' has data_type {type}, which this reader does not handle."),
        };
        return new NamedTensor(name, tensor);
    }

    private static DenseTensor<T> Make<T>(byte[]? raw, T[] typed, long[] shape) where T : unmanaged =>
        new(raw is null ? typed : MemoryMarshal.Cast<byte, T>(raw).ToArray(), shape);

    private static void ReadRepeatedVarints(ref ProtoReader reader, int wire, List<long> values)
    {
        if (wire != 2)
        {
            values.Add((long)reader.ReadVarint());
            return;
        }

        var packed = new ProtoReader(reader.ReadBytes());
        while (!packed.AtEnd)
        {
            values.Add((long)packed.ReadVarint());
        }
    }

    private static void ReadRepeatedFixed(ref ProtoReader reader, int wire, int size, Action<ulong> add)
    {
        if (wire != 2)
        {
            add(size == 4 ? reader.ReadFixed32() : reader.ReadFixed64());
            return;
        }

        var packed = new ProtoReader(reader.ReadBytes());
        while (!packed.AtEnd)
        {
            add(size == 4 ? packed.ReadFixed32() : packed.ReadFixed64());
        }
    }
}
