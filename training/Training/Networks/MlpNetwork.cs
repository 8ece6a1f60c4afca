using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Training.Compute;
using Training.Models;
using Training.Optimization;

namespace Training.Networks;

/// <summary>
/// The trainable form of an <see cref="MlpModel"/>: parameters, their gradients, and activation buffers for batches
/// of up to <see cref="MaxBatch"/> rows, all allocated once. Inputs are already normalized.
/// Layer l computes Z = H(l-1)·W + b; hidden layers then apply ReLU and inverted dropout, the last gives logits.
/// </summary>
internal sealed class MlpNetwork
{
    private readonly MatrixMultiplier _multiplier;
    private readonly int[] _sizes;
    private readonly float[][] _activations;
    private readonly float[][] _deltas;
    private readonly float[][] _masks;
    private readonly DropoutMask _dropout;

    public MlpNetwork(int inputSize, IReadOnlyList<int> hiddenLayers, int classes, int maxBatch, double dropout, MatrixMultiplier multiplier)
    {
        _multiplier = multiplier;
        _sizes = [inputSize, .. hiddenLayers, classes];
        MaxBatch = maxBatch;
        _dropout = new DropoutMask(dropout);
        var layers = _sizes.Length - 1;
        Weights = new float[layers][];
        Biases = new float[layers][];
        WeightGradients = new float[layers][];
        BiasGradients = new float[layers][];
        _activations = new float[layers][];
        _deltas = new float[layers][];
        _masks = new float[layers][];
        var parameters = new List<ParameterTensor>();
        for (var l = 0; l < layers; l++)
        {
            Weights[l] = new float[_sizes[l] * _sizes[l + 1]];
            Biases[l] = new float[_sizes[l + 1]];
            WeightGradients[l] = new float[Weights[l].Length];
            BiasGradients[l] = new float[Biases[l].Length];
            _activations[l] = new float[maxBatch * _sizes[l + 1]];
            _deltas[l] = new float[maxBatch * _sizes[l + 1]];
            _masks[l] = IsHidden(l) && _dropout.Active ? new float[maxBatch * _sizes[l + 1]] : [];
            parameters.Add(new ParameterTensor($"layer{l}.weights", Weights[l], WeightGradients[l], decays: true));
            parameters.Add(new ParameterTensor($"layer{l}.bias", Biases[l], BiasGradients[l], decays: false));
        }
        Parameters = parameters;
    }

    public int MaxBatch { get; }
    public int LayerCount => _sizes.Length - 1;
    public int InputSize => _sizes[0];
    public int ClassCount => _sizes[^1];
    public float[][] Weights { get; }
    public float[][] Biases { get; }
    public float[][] WeightGradients { get; }
    public float[][] BiasGradients { get; }
    public IReadOnlyList<ParameterTensor> Parameters { get; }

    private bool IsHidden(int layer) => layer < LayerCount - 1;

    /// <summary>He-uniform weights U(-sqrt(6/fanIn), sqrt(6/fanIn)) and zero biases. Uniform rather than normal
    /// because it needs only a square root, which is correctly rounded everywhere.</summary>
    public void Initialize(ref Xoshiro256 rng)
    {
        for (var l = 0; l < LayerCount; l++)
        {
            var limit = (float)Math.Sqrt(6.0 / _sizes[l]);
            var weights = Weights[l];
            for (var i = 0; i < weights.Length; i++) weights[i] = (2 * rng.NextSingle() - 1) * limit;
            Array.Clear(Biases[l]);
        }
    }

    /// <summary>The model view of the current parameters (shares the arrays, no copy).</summary>
    public MlpModel AsModel(FeatureNormalizer normalizer, IReadOnlyList<string> classNames) =>
        new(normalizer,
            Enumerable.Range(0, LayerCount).Select(l => new DenseLayer(_sizes[l], _sizes[l + 1], Weights[l], Biases[l],
                IsHidden(l) ? Activation.Relu : Activation.None)).ToArray(),
            classNames);

    /// <summary>
    /// Forward and backward pass over one batch with dropout drawn from <paramref name="dropoutRng"/>; fills the
    /// gradients of the mean loss and returns the summed (not mean) loss of the batch. The loss is cross-entropy
    /// with the labels unless <paramref name="loss"/> gives another.
    /// </summary>
    public double ComputeGradients(ReadOnlySpan<float> input, ReadOnlySpan<int> labels, ref Xoshiro256 dropoutRng, IBatchLoss? loss = null)
    {
        var rows = labels.Length;
        if (rows > MaxBatch) throw new ArgumentException($"Batch of {rows} rows exceeds the network's {MaxBatch}.", nameof(labels));
        Forward(input, rows, ref dropoutRng);
        var value = loss is null
            ? SoftmaxCrossEntropyGradient(labels)
            : loss.Gradient(_activations[^1].AsSpan(0, rows * ClassCount), labels, _deltas[^1].AsSpan(0, rows * ClassCount), ClassCount);
        Backward(input, rows);
        return value;
    }

    private void Forward(ReadOnlySpan<float> input, int rows, ref Xoshiro256 dropoutRng)
    {
        for (var l = 0; l < LayerCount; l++)
        {
            var output = _activations[l].AsSpan(0, rows * _sizes[l + 1]);
            _multiplier.Multiply(LayerInput(input, l, rows), false, Weights[l], false, output, rows, _sizes[l + 1], _sizes[l]);
            DenseOps.AddBias(output, Biases[l], rows);
            if (!IsHidden(l)) continue;
            DenseOps.Relu(output);
            if (_dropout.Active)
            {
                var mask = _masks[l].AsSpan(0, output.Length);
                _dropout.Fill(mask, ref dropoutRng);
                TensorPrimitives.Multiply(output, mask, output);
            }
        }
    }

    /// <summary>dLoss/dLogits = (softmax - onehot) / rows, written into the last layer's delta.</summary>
    private double SoftmaxCrossEntropyGradient(ReadOnlySpan<int> labels)
    {
        var rows = labels.Length;
        var classes = ClassCount;
        var logits = _activations[^1].AsSpan(0, rows * classes);
        var delta = _deltas[^1].AsSpan(0, rows * classes);
        DenseOps.Softmax(logits, delta, rows, classes);
        double loss = 0;
        var scale = 1f / rows;
        for (var r = 0; r < rows; r++)
        {
            loss += DenseOps.CrossEntropy(logits.Slice(r * classes, classes), labels[r]);
            var row = delta.Slice(r * classes, classes);
            row[labels[r]] -= 1f;
            TensorPrimitives.Multiply(row, scale, row);
        }
        return loss;
    }

    private void Backward(ReadOnlySpan<float> input, int rows)
    {
        for (var l = LayerCount - 1; l >= 0; l--)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            var delta = _deltas[l].AsSpan(0, rows * fanOut);
            // dW = H(l-1)ᵀ · dZ and db = column sums of dZ (rows added in order).
            _multiplier.Multiply(LayerInput(input, l, rows), true, delta, false, WeightGradients[l], fanIn, fanOut, rows);
            var biasGradient = BiasGradients[l].AsSpan();
            biasGradient.Clear();
            for (var r = 0; r < rows; r++) TensorPrimitives.Add(biasGradient, delta.Slice(r * fanOut, fanOut), biasGradient);
            if (l == 0) break;
            // dH(l-1) = dZ · Wᵀ, then back through dropout and ReLU: zero where the forward output was zero.
            var previous = _deltas[l - 1].AsSpan(0, rows * fanIn);
            _multiplier.Multiply(delta, false, Weights[l], true, previous, rows, fanIn, fanOut);
            var activation = _activations[l - 1].AsSpan(0, rows * fanIn);
            if (_dropout.Active) TensorPrimitives.Multiply(previous, _masks[l - 1].AsSpan(0, previous.Length), previous);
            ReluBackward(activation, previous);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReluBackward(ReadOnlySpan<float> output, Span<float> delta)
    {
        var i = 0;
        for (; i <= delta.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var active = Vector256.GreaterThan(Vector256.Create(output.Slice(i)), Vector256<float>.Zero);
            (Vector256.Create(delta.Slice(i)) & active).CopyTo(delta.Slice(i));
        }
        for (; i < delta.Length; i++)
            if (!(output[i] > 0f)) delta[i] = 0f;
    }

    private ReadOnlySpan<float> LayerInput(ReadOnlySpan<float> input, int layer, int rows) =>
        layer == 0 ? input[..(rows * _sizes[0])] : _activations[layer - 1].AsSpan(0, rows * _sizes[layer]);

    /// <summary>Copies all parameters into <paramref name="target"/> (same shapes).</summary>
    public void CopyParametersTo(float[][] targetWeights, float[][] targetBiases)
    {
        for (var l = 0; l < LayerCount; l++)
        {
            Weights[l].CopyTo(targetWeights[l], 0);
            Biases[l].CopyTo(targetBiases[l], 0);
        }
    }

    public void RestoreParametersFrom(float[][] sourceWeights, float[][] sourceBiases)
    {
        for (var l = 0; l < LayerCount; l++)
        {
            sourceWeights[l].CopyTo(Weights[l], 0);
            sourceBiases[l].CopyTo(Biases[l], 0);
        }
    }
}
