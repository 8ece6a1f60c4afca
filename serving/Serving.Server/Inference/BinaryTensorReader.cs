using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Pipeline.OnnxRuntime;
using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// Reads one input's bytes of the binary tensor extension: raw little-endian elements (BOOL one byte, 0 or 1), or for
/// BYTES each element as a 4-byte little-endian length followed by that many bytes of UTF-8.
/// </summary>
internal static class BinaryTensorReader
{
    /// <summary>The bytes a fixed-size datatype needs for <paramref name="elements"/> elements; null for BYTES.</summary>
    public static long? FixedSize(TensorSpec spec, int elements) => spec.ElementType switch
    {
        TensorElementType.Float or TensorElementType.Int32 => 4L * elements,
        TensorElementType.Double or TensorElementType.Int64 => 8L * elements,
        TensorElementType.Bool => elements,
        _ => null,
    };

    /// <param name="bytes">Exactly the input's binary_data_size bytes.</param>
    /// <param name="elements">The element count its shape needs.</param>
    public static TensorBuffer Read(ReadOnlySpan<byte> bytes, TensorSpec spec, int elements, RequestInput input) => spec.ElementType switch
    {
        TensorElementType.Float => Copy<float>(bytes, elements),
        TensorElementType.Double => Copy<double>(bytes, elements),
        TensorElementType.Int32 => Copy<int>(bytes, elements),
        TensorElementType.Int64 => Copy<long>(bytes, elements),
        TensorElementType.Bool => ReadBools(bytes, elements, input),
        TensorElementType.String => ReadStrings(bytes, elements, input),
        var type => throw new NotSupportedException($"Element type {type} has no binary reader."),
    };

    private static TensorBuffer<T> Copy<T>(ReadOnlySpan<byte> bytes, int elements) where T : unmanaged
    {
        var data = new TensorBuffer<T>(elements);
        // Binary tensor data is little-endian by definition, as are the platforms this server runs on (x64, arm64).
        bytes.CopyTo(data.Bytes);
        return data;
    }

    private static TensorBuffer<bool> ReadBools(ReadOnlySpan<byte> bytes, int elements, RequestInput input)
    {
        // Any byte but 0 and 1 would be a bool the CLR and ONNX Runtime disagree about.
        var bad = bytes.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} (BOOL) binary element {bad} is the byte {bytes[bad]}; BOOL elements are one byte each, 0 (false) or 1 (true).");
        }

        var data = new TensorBuffer<bool>(elements);
        bytes.CopyTo(MemoryMarshal.AsBytes(data.Span));
        return data;
    }

    private static StringTensorBuffer ReadStrings(ReadOnlySpan<byte> bytes, int elements, RequestInput input)
    {
        var data = new StringTensorBuffer(elements);
        var values = data.Span;
        var position = 0;
        for (var i = 0; i < elements; i++)
        {
            if (bytes.Length - position < sizeof(uint))
            {
                throw ServingException.BadRequest(
                    $"Input {input.Label} (BYTES) binary data ends at byte {bytes.Length} before element {i} of {elements}: each element needs a 4-byte little-endian length, then its bytes; check binary_data_size and the shape.");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[position..]);
            position += sizeof(uint);
            if (length > (uint)(bytes.Length - position))
            {
                throw ServingException.BadRequest(
                    $"Input {input.Label} (BYTES) binary element {i} has a length prefix of {length} bytes, past the end of its binary_data_size ({bytes.Length - position} bytes remain); the prefix is a 4-byte little-endian byte count.");
            }

            var text = bytes.Slice(position, (int)length);
            if (!Utf8.IsValid(text))
                throw ServingException.BadRequest($"Input {input.Label} (BYTES) binary element {i} is not valid UTF-8; the model's string input takes UTF-8 text.");
            values[i] = Encoding.UTF8.GetString(text);
            position += (int)length;
        }

        if (position != bytes.Length)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} (BYTES) has binary_data_size {bytes.Length}, but its {elements} elements end after {position} bytes; send exactly the elements its shape needs.");
        }

        return data;
    }
}
