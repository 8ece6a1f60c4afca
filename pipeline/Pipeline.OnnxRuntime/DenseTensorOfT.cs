using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

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

    public T[] ToArray() => Buffer.ToArray();

    /// <remarks>
    /// ORT's managed API knows half precision only as its own <see cref="Float16"/>, so a <see cref="Half"/> tensor is
    /// copied into one (and cannot receive outputs in place); every other element type is passed without copying.
    /// </remarks>
    public override OrtValue ToOrtValue() => typeof(T) == typeof(Half)
        ? OrtValue.CreateTensorValueFromMemory(MemoryMarshal.Cast<T, Float16>(Buffer.Span).ToArray(), ShapeArray)
        : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Buffer, ShapeArray);
}
