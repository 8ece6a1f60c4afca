using System.Numerics.Tensors;
using Training.Networks;

namespace Training.Compression;

/// <summary>
/// Knowledge-distillation loss (Hinton, Vinyals and Dean, 2015) of student logits z against the teacher's softened
/// distribution q = softmax(z_t / T) and the label y, per sample:
/// <code>
///   L = α·T²·CE(q, softmax(z / T)) + (1 − α)·CE(y, softmax(z))
///   ∂L/∂z = α·T·(softmax(z / T) − q) + (1 − α)·(softmax(z) − onehot(y))
/// </code>
/// The T² factor keeps the soft term's gradient on the same scale as the hard term's when T changes (the soft
/// gradient shrinks as 1/T² for large T). Defaults T = 4 and α = 0.7: soft enough that the teacher's ranking of the
/// wrong classes (a shirt looks more like a T-shirt than a bag) carries signal, with the labels still correcting
/// the teacher's own mistakes. The soft term is a cross-entropy, so its value includes the constant entropy of q;
/// the gradient is that of the KL divergence.
/// </summary>
public sealed class DistillationLoss
{
    public DistillationLoss(double temperature = 4, double alpha = 0.7)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), $"The distillation temperature must be positive, got {temperature}.");
        if (alpha is not (>= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"The soft-target weight alpha must be in [0, 1], got {alpha}.");
        Temperature = temperature;
        Alpha = alpha;
    }

    public double Temperature { get; }
    /// <summary>Weight of the soft (teacher) term; 1 − Alpha weighs the hard (label) term.</summary>
    public double Alpha { get; }

    /// <summary>q = softmax(z / T) of each row of <paramref name="logits"/> into <paramref name="softened"/>.</summary>
    public void Soften(ReadOnlySpan<float> logits, Span<float> softened, int classes)
    {
        TensorPrimitives.Divide(logits, (float)Temperature, softened);
        DenseOps.Softmax(softened, softened, logits.Length / classes, classes);
    }

    /// <summary>
    /// The summed loss of the rows of <paramref name="logits"/> (rows = labels.Length); writes the gradient of the
    /// MEAN loss with respect to the logits into <paramref name="delta"/>. <paramref name="softTargets"/> holds q row by row.
    /// </summary>
    public double Gradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<float> softTargets, Span<float> delta, int classes)
    {
        var rows = labels.Length;
        if (logits.Length != rows * classes || softTargets.Length != rows * classes || delta.Length != rows * classes)
            throw new ArgumentException($"{rows} rows of {classes} classes need {rows * classes} logits, soft targets and deltas; got {logits.Length}, {softTargets.Length} and {delta.Length}.");
        var t = Temperature;
        float softScale = (float)(Alpha * t / rows), hardScale = (float)((1 - Alpha) / rows);
        Span<float> softened = classes <= 256 ? stackalloc float[classes] : new float[classes];
        double loss = 0;
        for (var r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * classes, classes);
            var q = softTargets.Slice(r * classes, classes);
            var d = delta.Slice(r * classes, classes);
            loss += Alpha * t * t * SoftCrossEntropy(z, q, t) + (1 - Alpha) * DenseOps.CrossEntropy(z, labels[r]);

            Soften(z, softened, classes);
            TensorPrimitives.Subtract(softened, q, softened);
            DenseOps.Softmax(z, d, 1, classes);
            d[labels[r]] -= 1f;
            // d = hardScale·(p − onehot) + softScale·(p_T − q), one rounding order for every row.
            TensorPrimitives.Multiply(d, hardScale, d);
            TensorPrimitives.MultiplyAdd(softened, softScale, d, d);
        }
        return loss;
    }

    /// <summary>−Σ q_i·log softmax(z/T)_i via a stable log-sum-exp, in double.</summary>
    private static double SoftCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, double temperature)
    {
        double max = TensorPrimitives.Max(logits) / temperature, sum = 0;
        foreach (var z in logits) sum += Math.Exp(z / temperature - max);
        var logSum = max + Math.Log(sum);
        double loss = 0;
        for (var i = 0; i < logits.Length; i++) loss += targets[i] * (logSum - logits[i] / temperature);
        return loss;
    }
}
