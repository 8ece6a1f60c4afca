using System.Numerics.Tensors;
using Training.Models;

namespace Training.Networks;

/// <summary>
/// The element-wise steps of the forward pass, shared by training and inference so both compute exactly the same
/// floats: normalize as (x - mean) * invStd, add the bias after the product, ReLU, softmax with max subtraction.
/// Every step works row by row in a fixed order, so results do not depend on the thread count.
/// </summary>
internal static class DenseOps
{
    public static void Normalize(ReadOnlySpan<float> raw, FeatureNormalizer normalizer, Span<float> normalized, int rows)
    {
        var features = normalizer.FeatureCount;
        for (var r = 0; r < rows; r++)
        {
            var target = normalized.Slice(r * features, features);
            TensorPrimitives.Subtract(raw.Slice(r * features, features), normalizer.Mean, target);
            TensorPrimitives.Multiply(target, normalizer.InverseStd, target);
        }
    }

    public static void AddBias(Span<float> values, ReadOnlySpan<float> bias, int rows)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = values.Slice(r * bias.Length, bias.Length);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    public static void Relu(Span<float> values) => TensorPrimitives.Max(values, 0f, values);

    public static void Activate(Span<float> values, Activation activation)
    {
        if (activation == Activation.Relu) Relu(values);
    }

    /// <summary>Row-wise softmax: p = exp(z - max z) / sum exp(z - max z).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities, int rows, int classes)
    {
        for (var r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            var p = probabilities.Slice(r * classes, classes);
            TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), p);
            TensorPrimitives.Exp(p, p);
            TensorPrimitives.Divide(p, TensorPrimitives.Sum(p), p);
        }
    }

    /// <summary>Cross-entropy of one row of logits against its label, via a stable log-sum-exp (in double).</summary>
    public static double CrossEntropy(ReadOnlySpan<float> logits, int label)
    {
        var max = TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (var z in logits) sum += Math.Exp(z - max);
        return Math.Log(sum) - (logits[label] - max);
    }
}
