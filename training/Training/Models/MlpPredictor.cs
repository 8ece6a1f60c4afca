using Training.Compute;
using Training.Data;
using Training.Networks;

namespace Training.Models;

/// <summary>
/// Batched float32 inference of an <see cref="MlpModel"/>: normalize, then per layer x·W + b (the product is a
/// k-ordered fused multiply-add chain per output, then the bias is added), ReLU between layers, and a
/// max-subtracted softmax. This is the reference the ONNX export's outputs are compared against.
/// Buffers are reused between calls; not thread-safe.
/// </summary>
public sealed class MlpPredictor
{
    private readonly MatrixMultiplier _multiplier;
    private readonly int _batchRows;
    private readonly float[] _input;
    private readonly float[][] _activations;

    public MlpPredictor(MlpModel model, MatrixMultiplier multiplier, int batchRows = 500)
    {
        if (batchRows <= 0) throw new ArgumentOutOfRangeException(nameof(batchRows), $"Batch rows must be positive, got {batchRows}.");
        Model = model;
        _multiplier = multiplier;
        _batchRows = batchRows;
        _input = new float[batchRows * model.InputSize];
        _activations = model.Layers.Select(l => new float[batchRows * l.OutputSize]).ToArray();
    }

    public MlpModel Model { get; }

    /// <summary>Class probabilities for <c>features.Length / InputSize</c> samples, written row by row.</summary>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        var count = SampleCount(features);
        var classes = Model.ClassCount;
        if (probabilities.Length != count * classes)
            throw new ArgumentException($"{count} samples need {count * classes} probabilities, the target holds {probabilities.Length}.", nameof(probabilities));
        for (var start = 0; start < count; start += _batchRows)
        {
            var rows = Math.Min(_batchRows, count - start);
            var logits = Logits(features.Slice(start * Model.InputSize, rows * Model.InputSize), rows);
            DenseOps.Softmax(logits, probabilities.Slice(start * classes, rows * classes), rows, classes);
        }
    }

    public float[] PredictProbabilities(ReadOnlySpan<float> features)
    {
        var probabilities = new float[SampleCount(features) * Model.ClassCount];
        PredictProbabilities(features, probabilities);
        return probabilities;
    }

    /// <summary>The most probable class of each sample (the lowest index on ties).</summary>
    public int[] PredictLabels(ReadOnlySpan<float> features) => ArgMax(PredictProbabilities(features), Model.ClassCount);

    public static int[] ArgMax(ReadOnlySpan<float> probabilities, int classes)
    {
        var labels = new int[probabilities.Length / classes];
        for (var i = 0; i < labels.Length; i++)
            labels[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities.Slice(i * classes, classes));
        return labels;
    }

    /// <summary>Mean cross-entropy (from logits, in double) and accuracy over a labeled data set.</summary>
    public (double MeanLoss, double Accuracy) LossAndAccuracy(DataSet data)
    {
        if (data.FeatureCount != Model.InputSize)
            throw new ArgumentException($"The data has {data.FeatureCount} features but the model takes {Model.InputSize}.", nameof(data));
        double loss = 0;
        var correct = 0;
        var classes = Model.ClassCount;
        for (var start = 0; start < data.Count; start += _batchRows)
        {
            var rows = Math.Min(_batchRows, data.Count - start);
            var logits = Logits(data.Features.Slice(start * Model.InputSize, rows * Model.InputSize), rows);
            for (var r = 0; r < rows; r++)
            {
                var row = logits.Slice(r * classes, classes);
                var label = data.Labels[start + r];
                loss += DenseOps.CrossEntropy(row, label);
                if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row) == label) correct++;
            }
        }
        return (loss / data.Count, (double)correct / data.Count);
    }

    /// <summary>Logits of up to batchRows samples; the span is valid until the next call.</summary>
    internal ReadOnlySpan<float> Logits(ReadOnlySpan<float> features, int rows)
    {
        DenseOps.Normalize(features, Model.Normalizer, _input, rows);
        ReadOnlySpan<float> input = _input;
        for (var l = 0; l < Model.Layers.Count; l++)
        {
            var layer = Model.Layers[l];
            var output = _activations[l].AsSpan(0, rows * layer.OutputSize);
            _multiplier.Multiply(input, false, layer.Weights, false, output, rows, layer.OutputSize, layer.InputSize);
            DenseOps.AddBias(output, layer.Bias, rows);
            DenseOps.Activate(output, layer.Activation);
            input = output;
        }
        return input;
    }

    private int SampleCount(ReadOnlySpan<float> features)
    {
        if (features.Length % Model.InputSize != 0)
            throw new ArgumentException($"Features hold {features.Length} values, not a whole number of {Model.InputSize}-feature samples.", nameof(features));
        return features.Length / Model.InputSize;
    }
}

/// <summary>One-call inference for callers without their own thread pool (e.g. export parity checks).</summary>
public static class MlpModelInference
{
    public static float[] PredictProbabilities(this MlpModel model, ReadOnlySpan<float> features, int degreeOfParallelism = 1)
    {
        using var pool = new WorkerPool(degreeOfParallelism);
        return new MlpPredictor(model, new MatrixMultiplier(pool)).PredictProbabilities(features);
    }

    public static int[] PredictLabels(this MlpModel model, ReadOnlySpan<float> features, int degreeOfParallelism = 1) =>
        MlpPredictor.ArgMax(model.PredictProbabilities(features, degreeOfParallelism), model.ClassCount);
}
