namespace Training.Optimization;

/// <summary>A trainable tensor with its gradient. Weight decay applies to weights, not to biases.</summary>
public sealed class ParameterTensor
{
    public ParameterTensor(string name, float[] values, float[] gradients, bool decays)
    {
        if (values.Length != gradients.Length)
            throw new ArgumentException($"Parameter {name} has {values.Length} values but {gradients.Length} gradients.", nameof(gradients));
        Name = name;
        Values = values;
        Gradients = gradients;
        Decays = decays;
    }

    public string Name { get; }
    public float[] Values { get; }
    public float[] Gradients { get; }
    public bool Decays { get; }
    public int Length => Values.Length;
}
