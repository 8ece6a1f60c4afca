using Training.Compute;
using Training.Data;

namespace Training.Tests.Support;

/// <summary>Seeded Gaussian-blob classification data: each class scatters around its own random center.</summary>
public static class SyntheticData
{
    public static DataSet Blobs(int samples, int features, int classes, ulong seed, double spread = 1.0, double centerScale = 2.0)
    {
        var rng = new Xoshiro256(seed);
        var centers = new double[classes * features];
        for (var i = 0; i < centers.Length; i++) centers[i] = (2 * rng.NextDouble() - 1) * centerScale;
        var x = new float[samples * features];
        var y = new int[samples];
        for (var s = 0; s < samples; s++)
        {
            y[s] = rng.NextInt(classes);
            for (var f = 0; f < features; f++)
                x[s * features + f] = (float)(centers[y[s] * features + f] + spread * Gaussian(ref rng));
        }
        return new DataSet(x, y, features, Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray());
    }

    /// <summary>Labels that have nothing to do with the features: a model can only memorize them.</summary>
    public static DataSet RandomLabels(int samples, int features, int classes, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var x = new float[samples * features];
        for (var i = 0; i < x.Length; i++) x[i] = (float)Gaussian(ref rng);
        var y = new int[samples];
        for (var s = 0; s < samples; s++) y[s] = rng.NextInt(classes);
        return new DataSet(x, y, features, Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray());
    }

    public static float[] RandomMatrix(int length, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++) values[i] = 2 * rng.NextSingle() - 1;
        return values;
    }

    public static double Gaussian(ref Xoshiro256 rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
