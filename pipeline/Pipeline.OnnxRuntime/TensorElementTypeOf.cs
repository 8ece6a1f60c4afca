namespace Pipeline.OnnxRuntime;

/// <summary>The ONNX element type matching a CLR element type.</summary>
public static class TensorElementTypeOf
{
    /// <summary>Throws <see cref="NotSupportedException"/> for types ORT has no plain-memory layout for.</summary>
    public static TensorElementType Get<T>() where T : unmanaged => Cache<T>.Value
        ?? throw new NotSupportedException($"{typeof(T).Name} has no ONNX tensor element type; use float, double, Half, sbyte, byte, short, ushort, int, uint, long, ulong or bool.");

    private static TensorElementType? Lookup(Type type) => type switch
    {
        _ when type == typeof(float) => TensorElementType.Float,
        _ when type == typeof(double) => TensorElementType.Double,
        _ when type == typeof(Half) => TensorElementType.Float16,
        _ when type == typeof(sbyte) => TensorElementType.Int8,
        _ when type == typeof(byte) => TensorElementType.UInt8,
        _ when type == typeof(short) => TensorElementType.Int16,
        _ when type == typeof(ushort) => TensorElementType.UInt16,
        _ when type == typeof(int) => TensorElementType.Int32,
        _ when type == typeof(uint) => TensorElementType.UInt32,
        _ when type == typeof(long) => TensorElementType.Int64,
        _ when type == typeof(ulong) => TensorElementType.UInt64,
        // C bool and CLR bool are both one byte holding 0 or 1.
        _ when type == typeof(bool) => TensorElementType.Bool,
        _ => null,
    };

    private static class Cache<T>
    {
        public static readonly TensorElementType? Value = Lookup(typeof(T));
    }
}
