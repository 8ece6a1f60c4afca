using Pipeline.OnnxRuntime;

namespace OnnxRuntime.Benchmarks;

/// <summary>The model's single float input [N, features...], and a batch of deterministic values for it.</summary>
internal sealed record FeatureInput(string Name, long[] FeatureDims, long? FixedBatch)
{
    public long Features => FeatureDims.Aggregate(1L, (a, b) => a * b);

    public static FeatureInput Describe(InferenceSession session, string modelPath)
    {
        if (session.Inputs.Count != 1
            || session.Inputs[0] is not { Kind: OnnxValueKind.Tensor, ElementType: TensorElementType.Float } input
            || input.Shape.Count < 2
            || input.Shape.Skip(1).Any(dim => dim < 1))
        {
            var found = string.Join(", ", session.Inputs.Select(i => $"'{i.Name}' {i.ElementType} [{string.Join(", ", i.Shape)}]"));
            throw new ArgumentException(
                $"'{modelPath}' must have exactly one float input shaped [N, features...] with fixed feature dimensions; it has: {found}.");
        }

        return new FeatureInput(input.Name, input.Shape.Skip(1).ToArray(), input.Shape[0] > 0 ? input.Shape[0] : null);
    }

    public NamedTensor Batch(int batch, int seed)
    {
        var random = new Random(seed);
        var values = new float[checked((int)(batch * Features))];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle();
        }

        return new NamedTensor(Name, new DenseTensor<float>(values, [batch, .. FeatureDims]));
    }
}
