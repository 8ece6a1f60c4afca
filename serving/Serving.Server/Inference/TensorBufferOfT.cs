using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Pipeline.OnnxRuntime;

namespace Serving.Server.Inference;

/// <summary>Numbers or booleans in an array rented from the shared pool, so requests reuse memory instead of allocating it.</summary>
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

    public override TensorElementType ElementType => TensorElementTypeOf.Get<T>();

    public override int Length { get; }

    public Span<T> Span => Array.AsSpan(0, Length);

    /// <summary>The elements' bytes: little-endian, as the binary tensor extension defines them and x64/arm64 store them.</summary>
    public Span<byte> Bytes => MemoryMarshal.AsBytes(Span);

    public override int BinaryByteCount => Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    private T[] Array => _array ?? throw new ObjectDisposedException(nameof(TensorBuffer));

    public override void WriteBinary(IBufferWriter<byte> destination) => destination.Write(Bytes);

    public override DenseTensor AsTensor(long[] shape) => new DenseTensor<T>(Array.AsMemory(0, Length), shape);

    public override void CopyFrom(DenseTensor tensor)
    {
        if (tensor.ElementCount != Length) throw WrongSize(tensor, Length);
        tensor.As<T>().Span.CopyTo(Span);
    }

    public override void WriteJsonValues(Utf8JsonWriter writer)
    {
        // typeof checks are constants per instantiation, so the JIT keeps one loop in each. JSON has no NaN or
        // infinity: a non-finite float goes out as null, as a missing value comes in (binary output keeps it exact).
        var span = Span;
        if (typeof(T) == typeof(float))
        {
            foreach (var v in MemoryMarshal.Cast<T, float>(span))
                if (float.IsFinite(v)) writer.WriteNumberValue(v); else writer.WriteNullValue();
        }
        else if (typeof(T) == typeof(double))
        {
            foreach (var v in MemoryMarshal.Cast<T, double>(span))
                if (double.IsFinite(v)) writer.WriteNumberValue(v); else writer.WriteNullValue();
        }
        else if (typeof(T) == typeof(int))
            foreach (var v in MemoryMarshal.Cast<T, int>(span)) writer.WriteNumberValue(v);
        else if (typeof(T) == typeof(long))
            foreach (var v in MemoryMarshal.Cast<T, long>(span)) writer.WriteNumberValue(v);
        else if (typeof(T) == typeof(bool))
            foreach (var v in MemoryMarshal.Cast<T, bool>(span)) writer.WriteBooleanValue(v);
        else
            throw new NotSupportedException($"Element type {typeof(T).Name} has no JSON form here.");
    }

    public override void CopyTo(int sourceStart, TensorBuffer destination, int destinationStart, int count) =>
        Span.Slice(sourceStart, count).CopyTo(((TensorBuffer<T>)destination).Span.Slice(destinationStart, count));

    public override void Clear() => Span.Clear();

    public override void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null) ArrayPool<T>.Shared.Return(array);
    }
}
