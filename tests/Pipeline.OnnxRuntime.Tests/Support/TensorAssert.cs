namespace Pipeline.OnnxRuntime.Tests.Support;

/// <summary>Compares tensors the way the ONNX backend tests do: exact for integers, rtol 1e-3 / atol 1e-7 for floats.</summary>
public static class TensorAssert
{
    public static void Equal(DenseTensor expected, DenseTensor actual, string name)
    {
        Assert.Equal(expected.ElementType, actual.ElementType);
        Assert.Equal(expected.Shape, actual.Shape);
        switch (expected)
        {
            case DenseTensor<float> e: Close(e.ToArray().Select(v => (double)v), actual.As<float>().ToArray().Select(v => (double)v), name); break;
            case DenseTensor<double> e: Close(e.ToArray(), actual.As<double>().ToArray(), name); break;
            case DenseTensor<Half> e: Close(e.ToArray().Select(v => (double)v), actual.As<Half>().ToArray().Select(v => (double)v), name); break;
            case DenseTensor<long> e: Assert.Equal(e.ToArray(), actual.As<long>().ToArray()); break;
            case DenseTensor<int> e: Assert.Equal(e.ToArray(), actual.As<int>().ToArray()); break;
            case DenseTensor<short> e: Assert.Equal(e.ToArray(), actual.As<short>().ToArray()); break;
            case DenseTensor<sbyte> e: Assert.Equal(e.ToArray(), actual.As<sbyte>().ToArray()); break;
            case DenseTensor<byte> e: Assert.Equal(e.ToArray(), actual.As<byte>().ToArray()); break;
            case DenseTensor<ushort> e: Assert.Equal(e.ToArray(), actual.As<ushort>().ToArray()); break;
            case DenseTensor<uint> e: Assert.Equal(e.ToArray(), actual.As<uint>().ToArray()); break;
            case DenseTensor<ulong> e: Assert.Equal(e.ToArray(), actual.As<ulong>().ToArray()); break;
            case DenseTensor<bool> e: Assert.Equal(e.ToArray(), actual.As<bool>().ToArray()); break;
            default: throw new NotSupportedException($"No comparison for {expected.ElementType}.");
        }
    }

    public static void Close(IEnumerable<double> expected, IEnumerable<double> actual, string name, double rtol = 1e-3, double atol = 1e-7)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            var ok = e[i].Equals(a[i]) || Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]);
            Assert.True(ok, $"{name}[{i}]: expected {e[i]}, got {a[i]}");
        }
    }
}
