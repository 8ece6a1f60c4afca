using System.Runtime.CompilerServices;
using Training.Data;
using Training.Models;

namespace Training.Networks;

internal static class FeatureStatistics
{
    /// <summary>
    /// Per-feature mean and 1/max(std, <paramref name="minimumStd"/>) over the training samples (population std,
    /// accumulated in double in sample order, so the result is deterministic).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FeatureNormalizer Fit(DataSet train, double minimumStd)
    {
        var features = train.FeatureCount;
        var sum = new double[features];
        var squares = new double[features];
        for (var i = 0; i < train.Count; i++)
        {
            var sample = train.Sample(i);
            for (var j = 0; j < features; j++) sum[j] += sample[j];
        }
        var mean = new double[features];
        for (var j = 0; j < features; j++) mean[j] = sum[j] / train.Count;
        for (var i = 0; i < train.Count; i++)
        {
            var sample = train.Sample(i);
            for (var j = 0; j < features; j++)
            {
                var d = sample[j] - mean[j];
                squares[j] += d * d;
            }
        }
        var meanF = new float[features];
        var inverseStd = new float[features];
        for (var j = 0; j < features; j++)
        {
            meanF[j] = (float)mean[j];
            inverseStd[j] = (float)(1.0 / Math.Max(Math.Sqrt(squares[j] / train.Count), minimumStd));
        }
        return new FeatureNormalizer(meanF, inverseStd);
    }
}
