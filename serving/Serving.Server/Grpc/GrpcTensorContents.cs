using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Pipeline.OnnxRuntime;
using Serving.Protocol.Inference;
using Serving.Server.Inference;
using Serving.Server.Model;

namespace Serving.Server.Grpc;

/// <summary>
/// Converts between the protocol's typed tensor contents (fp32_contents, int64_contents, ...) and
/// <see cref="TensorBuffer"/>s, and writes a buffer's raw form (the binary tensor extension's bytes) for raw_output_contents.
/// </summary>
internal static class GrpcTensorContents
{
    private static readonly InferTensorContents Empty = new();

    /// <summary>Reads an input's values from the contents field its (matching) datatype uses.</summary>
    public static TensorBuffer Read(InferTensorContents? contents, TensorSpec spec, RequestInput input)
    {
        contents ??= Empty;
        var expected = FieldName(spec.ElementType);
        if (Count(contents, spec.ElementType) == 0 && FirstNonEmptyField(contents) is { } other)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} ({spec.Datatype}) has its values in {other}; {spec.Datatype} values go in {expected} (or raw_input_contents).");
        }

        return spec.ElementType switch
        {
            TensorElementType.Float => Copy(contents.Fp32Contents),
            TensorElementType.Double => Copy(contents.Fp64Contents),
            TensorElementType.Int32 => Copy(contents.IntContents),
            TensorElementType.Int64 => Copy(contents.Int64Contents),
            TensorElementType.Bool => Copy(contents.BoolContents),
            TensorElementType.String => ReadStrings(contents.BytesContents, input),
            var type => throw new NotSupportedException($"Element type {type} has no gRPC contents reader."),
        };
    }

    /// <summary>Writes an output's values into the contents field of its datatype.</summary>
    public static InferTensorContents Write(TensorBuffer buffer)
    {
        var contents = new InferTensorContents();
        switch (buffer)
        {
            case TensorBuffer<float> floats: Append(contents.Fp32Contents, floats.Span); break;
            case TensorBuffer<double> doubles: Append(contents.Fp64Contents, doubles.Span); break;
            case TensorBuffer<int> ints: Append(contents.IntContents, ints.Span); break;
            case TensorBuffer<long> longs: Append(contents.Int64Contents, longs.Span); break;
            case TensorBuffer<bool> bools: Append(contents.BoolContents, bools.Span); break;
            case StringTensorBuffer strings:
                contents.BytesContents.Capacity = strings.Length;
                foreach (var value in strings.Span) contents.BytesContents.Add(ByteString.CopyFromUtf8(value));
                break;
            default: throw new NotSupportedException($"Element type {buffer.ElementType} has no gRPC contents writer.");
        }

        return contents;
    }

    /// <summary>The raw form: little-endian elements, BOOL one byte each, BYTES each a 4-byte length then UTF-8.</summary>
    public static ByteString WriteRaw(TensorBuffer buffer)
    {
        // A fresh array, never a pooled one: the ByteString wraps it without copying and outlives this call.
        var bytes = new ArrayBufferWriter<byte>(Math.Max(buffer.BinaryByteCount, 1));
        buffer.WriteBinary(bytes);
        return UnsafeByteOperations.UnsafeWrap(bytes.WrittenMemory);
    }

    private static TensorBuffer<T> Copy<T>(RepeatedField<T> values) where T : unmanaged
    {
        var buffer = new TensorBuffer<T>(values.Count);
        var span = buffer.Span;
        for (var i = 0; i < span.Length; i++) span[i] = values[i];
        return buffer;
    }

    private static void Append<T>(RepeatedField<T> field, ReadOnlySpan<T> values)
    {
        field.Capacity = values.Length;
        foreach (var value in values) field.Add(value);
    }

    private static StringTensorBuffer ReadStrings(RepeatedField<ByteString> values, RequestInput input)
    {
        var buffer = new StringTensorBuffer(values.Count);
        var span = buffer.Span;
        for (var i = 0; i < span.Length; i++)
        {
            var bytes = values[i].Span;
            if (!Utf8.IsValid(bytes))
                throw ServingException.BadRequest($"Input {input.Label} (BYTES) element {i} is not valid UTF-8; the model's string input takes UTF-8 text.");
            span[i] = Encoding.UTF8.GetString(bytes);
        }

        return buffer;
    }

    private static string FieldName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "fp32_contents",
        TensorElementType.Double => "fp64_contents",
        TensorElementType.Int32 => "int_contents",
        TensorElementType.Int64 => "int64_contents",
        TensorElementType.Bool => "bool_contents",
        _ => "bytes_contents",
    };

    private static int Count(InferTensorContents contents, TensorElementType type) => type switch
    {
        TensorElementType.Float => contents.Fp32Contents.Count,
        TensorElementType.Double => contents.Fp64Contents.Count,
        TensorElementType.Int32 => contents.IntContents.Count,
        TensorElementType.Int64 => contents.Int64Contents.Count,
        TensorElementType.Bool => contents.BoolContents.Count,
        _ => contents.BytesContents.Count,
    };

    private static string? FirstNonEmptyField(InferTensorContents contents) =>
        contents.Fp32Contents.Count > 0 ? "fp32_contents"
        : contents.Fp64Contents.Count > 0 ? "fp64_contents"
        : contents.IntContents.Count > 0 ? "int_contents"
        : contents.Int64Contents.Count > 0 ? "int64_contents"
        : contents.BoolContents.Count > 0 ? "bool_contents"
        : contents.BytesContents.Count > 0 ? "bytes_contents"
        : contents.UintContents.Count > 0 ? "uint_contents"
        : contents.Uint64Contents.Count > 0 ? "uint64_contents"
        : null;

    /// <summary>Whether any contents field holds a value (they must all be empty when raw_input_contents is used).</summary>
    public static bool HasAny(InferTensorContents? contents) => contents is not null && FirstNonEmptyField(contents) is not null;
}
