using System.Buffers;
using System.Runtime.CompilerServices;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// A row-major tensor over caller memory. Inputs are passed to ORT without copying; the buffer can be a slice of a
/// pooled array, which lets a server reuse buffers between requests.
/// </summary>
public sealed class DenseTensor<T> : DenseTensor where T : unmanaged
{
    public DenseTensor(Memory<T> buffer, params long[] shape)
        : base(TensorElementTypeOf.Get<T>(), shape ?? throw new ArgumentNullException(nameof(shape)), buffer.Length)
    {
        Buffer = buffer;
    }

    public Memory<T> Buffer { get; }

    public Span<T> Span => Buffer.Span;

    internal override long ByteLength => (long)Buffer.Length * Unsafe.SizeOf<T>();

    public T[] ToArray() => Buffer.ToArray();

    internal override MemoryHandle Pin() => Buffer.Pin();
}
