using Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>A row-major tensor in managed memory; <see cref="DenseTensor{T}"/> is the typed form.</summary>
public abstract class DenseTensor
{
    private readonly long[] _shape;

    private protected DenseTensor(TensorElementType elementType, ReadOnlySpan<long> shape, int length)
    {
        ElementType = elementType;
        _shape = shape.ToArray();
        ElementCount = CountElements(_shape);
        if (ElementCount != length)
        {
            throw new ArgumentException(
                $"Shape [{string.Join(", ", _shape)}] holds {ElementCount} elements but the buffer has {length}.", nameof(shape));
        }
    }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape => _shape;

    public long ElementCount { get; }

    /// <summary>The shape array itself, for ORT (which does not keep it).</summary>
    private protected long[] ShapeArray => _shape;

    /// <summary>The typed view; throws when the tensor holds another element type.</summary>
    public DenseTensor<T> As<T>() where T : unmanaged => this as DenseTensor<T>
        ?? throw new InvalidCastException($"The tensor holds {ElementType} elements, not {typeof(T).Name}.");

    /// <summary>The string view; throws when the tensor holds numbers.</summary>
    public StringTensor AsStrings() => this as StringTensor
        ?? throw new InvalidCastException($"The tensor holds {ElementType} elements, not strings.");

    /// <summary>An <see cref="OrtValue"/> over this tensor's buffer (pinned, not copied) until it is disposed.</summary>
    public abstract OrtValue ToOrtValue();

    private static long CountElements(long[] shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException(
                    $"Shape [{string.Join(", ", shape)}] has a negative dimension; a concrete tensor needs sizes >= 0.", nameof(shape));
            }

            count = checked(count * dim);
        }

        return count;
    }
}
