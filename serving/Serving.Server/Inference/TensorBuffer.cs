using System.Buffers;
using System.Text.Json;
using Pipeline.OnnxRuntime;

namespace Serving.Server.Inference;

/// <summary>
/// The elements of one input or output of a call, of any served element type. Numbers and booleans live in
/// arrays rented from the shared pool (<see cref="TensorBuffer{T}"/>), strings in a plain array
/// (<see cref="StringTensorBuffer"/>). Every owner disposes on every path (see <see cref="InferenceCall"/>).
/// </summary>
internal abstract class TensorBuffer : IDisposable
{
    public static TensorBuffer Rent(TensorElementType type, int length) => type switch
    {
        TensorElementType.Float => new TensorBuffer<float>(length),
        TensorElementType.Double => new TensorBuffer<double>(length),
        TensorElementType.Int32 => new TensorBuffer<int>(length),
        TensorElementType.Int64 => new TensorBuffer<long>(length),
        TensorElementType.Bool => new TensorBuffer<bool>(length),
        TensorElementType.String => new StringTensorBuffer(length),
        _ => throw new NotSupportedException($"Element type {type} cannot be served."),
    };

    public abstract TensorElementType ElementType { get; }

    /// <summary>Elements in use (a rented array may be longer).</summary>
    public abstract int Length { get; }

    /// <summary>The size of the binary tensor extension form: raw little-endian elements, or length-prefixed strings.</summary>
    public abstract int BinaryByteCount { get; }

    public abstract void WriteBinary(IBufferWriter<byte> destination);

    /// <summary>A tensor over the buffer, for ONNX Runtime to read (or, numbers only, write in place).</summary>
    public abstract DenseTensor AsTensor(long[] shape);

    /// <summary>Copies a tensor ONNX Runtime returned into this buffer; its element count must be <see cref="Length"/>.</summary>
    public abstract void CopyFrom(DenseTensor tensor);

    /// <summary>Writes the elements as JSON values, without the enclosing array.</summary>
    public abstract void WriteJsonValues(Utf8JsonWriter writer);

    /// <summary>Copies <paramref name="count"/> elements between buffers of the same element type.</summary>
    public abstract void CopyTo(int sourceStart, TensorBuffer destination, int destinationStart, int count);

    /// <summary>Sets every element to its type's zero: 0, false or the empty string.</summary>
    public abstract void Clear();

    public abstract void Dispose();

    private protected static InvalidOperationException WrongSize(DenseTensor tensor, int expected) =>
        new($"ONNX Runtime returned {tensor.ElementCount} {tensor.ElementType} elements of shape [{string.Join(", ", tensor.Shape)}] where {expected} were expected.");
}
