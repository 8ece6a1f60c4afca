namespace Pipeline.OnnxRuntime;

/// <summary>A tensor bound to a model input or output name.</summary>
public readonly record struct NamedTensor(string Name, DenseTensor Tensor)
{
    public static NamedTensor Create<T>(string name, T[] data, params long[] shape) where T : unmanaged =>
        new(name, new DenseTensor<T>(data, shape));
}
