using Training.Compression;
using Training.Compute;
using Training.Networks;
using Training.Tests.Support;

namespace Training.Tests.Compression;

/// <summary>The distillation loss's analytic gradient against central finite differences, alone and through the network.</summary>
public sealed class DistillationLossTests
{
    private const int Classes = 5;

    private static float[] SoftTargets(DistillationLoss loss, int rows, ulong seed)
    {
        var teacherLogits = SyntheticData.RandomMatrix(rows * Classes, seed).Select(v => 6 * v).ToArray();
        var soft = new float[teacherLogits.Length];
        loss.Soften(teacherLogits, soft, Classes);
        return soft;
    }

    [Theory]
    [InlineData(4.0, 0.7)]
    [InlineData(1.0, 1.0)]
    [InlineData(2.5, 0.0)]
    [InlineData(10.0, 0.3)]
    public void Gradient_with_respect_to_the_logits_matches_finite_differences(double temperature, double alpha)
    {
        var loss = new DistillationLoss(temperature, alpha);
        const int rows = 3;
        var logits = SyntheticData.RandomMatrix(rows * Classes, 21).Select(v => 4 * v).ToArray();
        int[] labels = [1, 4, 0];
        var soft = SoftTargets(loss, rows, 22);
        var analytic = new float[logits.Length];
        var scratch = new float[logits.Length];

        loss.Gradient(logits, labels, soft, analytic, Classes);

        const float h = 1e-2f;
        for (var i = 0; i < logits.Length; i++)
        {
            var original = logits[i];
            logits[i] = original + h;
            var plus = loss.Gradient(logits, labels, soft, scratch, Classes) / rows;
            logits[i] = original - h;
            var minus = loss.Gradient(logits, labels, soft, scratch, Classes) / rows;
            logits[i] = original;
            var numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-4 + 1e-3 * Math.Abs(numeric),
                $"T={temperature} α={alpha} logit {i}: analytic {analytic[i]}, numeric {numeric}");
        }
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-2); // not vacuous
    }

    [Fact]
    public void Soft_term_gradient_is_alpha_T_times_softened_student_minus_teacher()
    {
        var loss = new DistillationLoss(temperature: 3, alpha: 1);
        var logits = SyntheticData.RandomMatrix(Classes, 31).Select(v => 5 * v).ToArray();
        var soft = SoftTargets(loss, 1, 32);
        var studentSoft = new float[Classes];
        loss.Soften(logits, studentSoft, Classes);
        var gradient = new float[Classes];

        loss.Gradient(logits, [2], soft, gradient, Classes);

        for (var i = 0; i < Classes; i++) Assert.Equal(3 * (studentSoft[i] - soft[i]), gradient[i], 5);
    }

    [Fact]
    public void Network_parameter_gradients_under_distillation_match_finite_differences()
    {
        using var pool = new WorkerPool(1);
        var network = new MlpNetwork(6, [5], Classes, maxBatch: 4, dropout: 0, new MatrixMultiplier(pool));
        var init = new Xoshiro256(41);
        network.Initialize(ref init);
        var input = SyntheticData.RandomMatrix(4 * 6, 42);
        int[] labels = [0, 3, 1, 4];
        var loss = new DistillationLoss();
        var targets = new DistillationTargets(SoftTargets(loss, 4, 43), 4, Classes, loss);
        var batchLoss = targets.CreateBatchLoss(4);
        batchLoss.SelectSamples([0, 1, 2, 3]);

        double MeanLoss()
        {
            var rng = new Xoshiro256(1);
            return network.ComputeGradients(input, labels, ref rng, batchLoss) / labels.Length;
        }

        MeanLoss();
        var analytic = network.Parameters.Select(p => (float[])p.Gradients.Clone()).ToArray();
        const float h = 1e-3f;
        for (var t = 0; t < network.Parameters.Count; t++)
        {
            var values = network.Parameters[t].Values;
            for (var i = 0; i < values.Length; i++)
            {
                var original = values[i];
                values[i] = original + h;
                var plus = MeanLoss();
                values[i] = original - h;
                var minus = MeanLoss();
                values[i] = original;
                var numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[t][i]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                    $"{network.Parameters[t].Name}[{i}]: analytic {analytic[t][i]}, numeric {numeric}");
            }
        }
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(double.NaN, 0.5)]
    [InlineData(4.0, 1.5)]
    [InlineData(4.0, -0.1)]
    public void Invalid_temperature_or_alpha_is_rejected(double temperature, double alpha)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationLoss(temperature, alpha));
    }
}
