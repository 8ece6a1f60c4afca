using Training.Compute;
using Training.Data;
using Training.Models;
using Training.Networks;

namespace Training.Compression;

/// <summary>
/// The teacher's softened distribution q = softmax(z_t / T) for every sample of a training set (row i belongs to
/// sample i), with the loss that uses it. Computed once before training: the teacher is fixed, so recomputing
/// it every epoch would only cost time.
/// </summary>
public sealed class DistillationTargets
{
    private readonly float[] _soft;

    /// <param name="softTargets">q for each training sample, row by row: <paramref name="sampleCount"/> × <paramref name="classCount"/> values.</param>
    public DistillationTargets(float[] softTargets, int sampleCount, int classCount, DistillationLoss loss)
    {
        if (sampleCount <= 0 || classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(sampleCount), $"Soft targets need at least one sample and two classes, got {sampleCount} and {classCount}.");
        if (softTargets.Length != (long)sampleCount * classCount)
            throw new ArgumentException($"{sampleCount} samples of {classCount} classes need {(long)sampleCount * classCount} soft targets, got {softTargets.Length}.", nameof(softTargets));
        _soft = softTargets;
        SampleCount = sampleCount;
        ClassCount = classCount;
        Loss = loss;
    }

    public int SampleCount { get; }
    public int ClassCount { get; }
    public DistillationLoss Loss { get; }
    public ReadOnlySpan<float> SoftTargets => _soft;

    /// <summary>
    /// Runs <paramref name="teacher"/> over <paramref name="train"/> and softens its LOGITS with the loss's
    /// temperature. Working from logits rather than from probabilities p (q ∝ p^(1/T)) matters for the wrong
    /// classes, whose small soft probabilities are the teacher's extra knowledge: a confident float32 p underflows
    /// to 0 for them once the logit gap passes about 100, losing what softmax(z/T) still resolves.
    /// </summary>
    public static DistillationTargets FromTeacher(MlpModel teacher, DataSet train, DistillationLoss loss, ExecutionOptions? execution = null)
    {
        if (teacher.InputSize != train.FeatureCount)
            throw new ArgumentException($"The teacher takes {teacher.InputSize} features but the training data has {train.FeatureCount}.", nameof(teacher));
        if (!teacher.ClassNames.SequenceEqual(train.ClassNames))
            throw new ArgumentException("The teacher and the training data name different classes.", nameof(teacher));
        execution ??= new ExecutionOptions();
        using var pool = new WorkerPool(execution.DegreeOfParallelism);
        var predictor = new MlpPredictor(teacher, new MatrixMultiplier(pool, execution.Kernel));
        var classes = teacher.ClassCount;
        var soft = new float[train.Count * classes];
        const int batch = 500;
        for (var start = 0; start < train.Count; start += batch)
        {
            var rows = Math.Min(batch, train.Count - start);
            var logits = predictor.Logits(train.Features.Slice(start * train.FeatureCount, rows * train.FeatureCount), rows);
            loss.Soften(logits, soft.AsSpan(start * classes, rows * classes), classes);
        }
        return new DistillationTargets(soft, train.Count, classes, loss);
    }

    internal IBatchLoss CreateBatchLoss(int maxBatch) => new BatchLoss(this, maxBatch);

    /// <summary>Gathers the soft targets of each shuffled batch, then applies the distillation loss.</summary>
    private sealed class BatchLoss(DistillationTargets targets, int maxBatch) : IBatchLoss
    {
        private readonly float[] _batch = new float[maxBatch * targets.ClassCount];
        private int _rows;

        public void SelectSamples(ReadOnlySpan<int> sampleIndices)
        {
            var classes = targets.ClassCount;
            for (var r = 0; r < sampleIndices.Length; r++)
                targets.SoftTargets.Slice(sampleIndices[r] * classes, classes).CopyTo(_batch.AsSpan(r * classes, classes));
            _rows = sampleIndices.Length;
        }

        public double Gradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> delta, int classes)
        {
            if (labels.Length != _rows)
                throw new InvalidOperationException($"The batch has {labels.Length} rows but soft targets were selected for {_rows}.");
            return targets.Loss.Gradient(logits, labels, _batch.AsSpan(0, _rows * classes), delta, classes);
        }
    }
}
