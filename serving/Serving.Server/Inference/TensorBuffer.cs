using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Pipeline.OnnxRuntime;

namespace Serving.Server.Inference;

/// <summary>
/// Tensor elements in an array rented from the shared pool, so requests reuse memory instead of allocating it.
/// Disposing returns the array; every owner disposes on every path (see <see cref="InferenceCall"/>).
/// </summary>
internal abstract class TensorBuffer : IDisposable
{
    /// <summary>The element types the server can return; the model loader refuses others.</summary>
    public static bool Supports(TensorElementType type) =>
        type is TensorElementType.Float or TensorElementType.Double or TensorElementType.Int32 or TensorElementType.Int64;

    public static TensorBuffer Rent(TensorElementType type, int length) => type switch
    {
        TensorElementType.Float => new TensorBuffer<float>(length),
        TensorElementType.Double => new TensorBuffer<double>(length),
        TensorElementType.Int32 => new TensorBuffer<int>(length),
        TensorElementType.Int64 => new TensorBuffer<long>(length),
        _ => throw new NotSupportedException($"Element type {type} cannot be served."),
    };

    /// <summary>Elements in use (the rented array may be longer).</summary>
    public abstract int Length { get; }

    public abstract ReadOnlySpan<byte> Bytes { get; }

    /// <summary>A tensor over the buffer, for ONNX Runtime to read or write in place.</summary>
    public abstract DenseTensor AsTensor(long[] shape);

    public abstract void WriteJsonValues(Utf8JsonWriter writer);

    /// <summary>Copies <paramref name="count"/> elements between buffers of the same element type.</summary>
    public abstract void CopyTo(int sourceStart, TensorBuffer destination, int destinationStart, int count);

    public abstract void Dispose();
}

internal sealed class TensorBuffer<T> : TensorBuffer where T : unmanaged
{
    private T[]? _array;

    public TensorBuffer(int length)
        : this(ArrayPool<T>.Shared.Rent(Math.Max(length, 1)), length)
    {
    }

    /// <summary>Takes ownership of an array rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public TensorBuffer(T[] rented, int length)
    {
        _array = rented;
        Length = length;
    }

    public override int Length { get; }

    public Span<T> Span => Array.AsSpan(0, Length);

    public override ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(Span);

    private T[] Array => _array ?? throw new ObjectDisposedException(nameof(TensorBuffer));

    public override DenseTensor AsTensor(long[] shape) => new DenseTensor<T>(Array.AsMemory(0, Length), shape);

    public override void WriteJsonValues(Utf8JsonWriter writer)
    {
        // typeof checks are constants per instantiation, so the JIT keeps one loop in each.
        var span = Span;
        if (typeof(T) == typeof(float))
            foreach (var v in MemoryMarshal.Cast<T, float>(span)) writer.WriteNumberValue(v);
        else if (typeof(T) == typeof(double))
            foreach (var v in MemoryMarshal.Cast<T, double>(span)) writer.WriteNumberValue(v);
        else if (typeof(T) == typeof(int))
            foreach (var v in MemoryMarshal.Cast<T, int>(span)) writer.WriteNumberValue(v);
        else if (typeof(T) == typeof(long))
            foreach (var v in MemoryMarshal.Cast<T, long>(span)) writer.WriteNumberValue(v);
        else
            throw new NotSupportedException($"Element type {typeof(T).Name} has no JSON form here.");
    }

    public override void CopyTo(int sourceStart, TensorBuffer destination, int destinationStart, int count) =>
        Span.Slice(sourceStart, count).CopyTo(((TensorBuffer<T>)destination).Span.Slice(destinationStart, count));

    public override void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null) ArrayPool<T>.Shared.Return(array);
    }
}
