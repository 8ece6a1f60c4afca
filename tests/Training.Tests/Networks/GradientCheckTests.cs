using Training.Compute;
using Training.Networks;
using Training.Tests.Support;

namespace Training.Tests.Networks;

/// <summary>The backward pass against central finite differences of the loss, for every parameter.</summary>
public sealed class GradientCheckTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Analytic_gradients_match_finite_differences(double dropout)
    {
        using var pool = new WorkerPool(1);
        var network = new MlpNetwork(6, [5, 4], 3, maxBatch: 4, dropout, new MatrixMultiplier(pool));
        var init = new Xoshiro256(11);
        network.Initialize(ref init);
        for (var l = 0; l < network.LayerCount; l++)
            for (var j = 0; j < network.Biases[l].Length; j++) network.Biases[l][j] = 0.1f * (j + 1);
        var input = SyntheticData.RandomMatrix(4 * 6, 12);
        int[] labels = [0, 2, 1, 2];
        var rows = labels.Length;

        double MeanLoss()
        {
            var dropoutRng = new Xoshiro256(5); // same masks for every evaluation
            return network.ComputeGradients(input, labels, ref dropoutRng) / rows;
        }

        MeanLoss();
        var analytic = network.Parameters.Select(p => (float[])p.Gradients.Clone()).ToArray();
        const float h = 1e-3f;
        var checkedCount = 0;
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
                var tolerance = 2e-3 + 2e-2 * Math.Abs(numeric);
                Assert.True(Math.Abs(numeric - analytic[t][i]) <= tolerance,
                    $"{network.Parameters[t].Name}[{i}]: analytic {analytic[t][i]}, numeric {numeric}");
                checkedCount++;
            }
        }
        Assert.Equal(6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3, checkedCount);
        Assert.Contains(analytic[0], g => Math.Abs(g) > 1e-3); // the check is not vacuous
    }

    [Fact]
    public void Dropout_zeroes_about_the_requested_share_and_rescales_the_rest()
    {
        var mask = new float[100_000];
        var rng = new Xoshiro256(1);
        new DropoutMask(0.25).Fill(mask, ref rng);

        var dropped = mask.Count(m => m == 0f);
        Assert.InRange(dropped, 24_000, 26_000);
        Assert.All(mask.Where(m => m != 0f), m => Assert.Equal(1f / 0.75f, m, 6));
    }
}
