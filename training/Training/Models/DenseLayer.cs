namespace Training.Models;

/// <summary>How a layer's pre-activation output is transformed before the next layer.</summary>
public enum Activation
{
    /// <summary>No transformation (the last layer: its outputs are logits, turned into probabilities by softmax).</summary>
    None,
    Relu,
}

/// <summary>
/// A fully connected layer y = act(x · W + b).
/// <see cref="Weights"/> is row-major [<see cref="InputSize"/>, <see cref="OutputSize"/>], the layout of an ONNX
/// MatMul/Gemm right-hand side, so export writes it without transposing.
/// </summary>
public sealed class DenseLayer
{
    public DenseLayer(int inputSize, int outputSize, float[] weights, float[] bias, Activation activation)
    {
        if (inputSize <= 0 || outputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"Layer sizes must be positive, got {inputSize}x{outputSize}.");
        if (weights.Length != inputSize * outputSize)
            throw new ArgumentException($"Weights hold {weights.Length} values; a {inputSize}x{outputSize} layer needs {inputSize * outputSize}.", nameof(weights));
        if (bias.Length != outputSize)
            throw new ArgumentException($"Bias holds {bias.Length} values; a layer with {outputSize} outputs needs {outputSize}.", nameof(bias));
        InputSize = inputSize;
        OutputSize = outputSize;
        Weights = weights;
        Bias = bias;
        Activation = activation;
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public float[] Weights { get; }
    public float[] Bias { get; }
    public Activation Activation { get; }
}
