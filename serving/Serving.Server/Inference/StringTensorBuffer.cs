using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Pipeline.OnnxRuntime;

namespace Serving.Server.Inference;

/// <summary>
/// BYTES elements as strings, for ONNX tensor(string). Not pooled: ONNX Runtime copies strings into every run
/// anyway, and <see cref="StringTensor"/> needs an array of exactly the element count.
/// </summary>
internal sealed class StringTensorBuffer(int length) : TensorBuffer
{
    private readonly string[] _values = new string[length];

    public override TensorElementType ElementType => TensorElementType.String;

    public override int Length => _values.Length;

    public Span<string> Span => _values;

    /// <summary>Each element as a 4-byte little-endian length followed by its UTF-8 bytes.</summary>
    public override int BinaryByteCount
    {
        get
        {
            long total = 0;
            foreach (var value in _values) total += sizeof(uint) + Encoding.UTF8.GetByteCount(value);
            return checked((int)total);
        }
    }

    public override void WriteBinary(IBufferWriter<byte> destination)
    {
        foreach (var value in _values)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            var span = destination.GetSpan(sizeof(uint) + length);
            BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
            Encoding.UTF8.GetBytes(value, span[sizeof(uint)..]);
            destination.Advance(sizeof(uint) + length);
        }
    }

    public override DenseTensor AsTensor(long[] shape) => new StringTensor(_values, shape);

    public override void CopyFrom(DenseTensor tensor)
    {
        if (tensor.ElementCount != Length) throw WrongSize(tensor, Length);
        tensor.AsStrings().Values.CopyTo(_values, 0);
    }

    public override void WriteJsonValues(Utf8JsonWriter writer)
    {
        foreach (var value in _values) writer.WriteStringValue(value);
    }

    public override void CopyTo(int sourceStart, TensorBuffer destination, int destinationStart, int count) =>
        Array.Copy(_values, sourceStart, ((StringTensorBuffer)destination)._values, destinationStart, count);

    public override void Clear() => Array.Fill(_values, "");

    public override void Dispose()
    {
        // Nothing pooled: the strings go with the garbage collector.
    }
}
