using System.Diagnostics;
using Training.Compute;

namespace Training.Benchmarks;

/// <summary>GFLOP/s of the three training products at the default MLP's shapes (batch 128, 784-256-128-10).</summary>
internal static class GemmBenchmark
{
    private sealed record Shape(string Name, int M, int N, int K, bool TransposeA, bool TransposeB);

    private static readonly Shape[] Shapes =
    [
        new("forward  X·W1   (NN)", 128, 256, 784, false, false),
        new("forward  H1·W2  (NN)", 128, 128, 256, false, false),
        new("forward  H2·W3  (NN)", 128, 10, 128, false, false),
        new("grad W1  Xᵀ·dZ1 (TN)", 784, 256, 128, true, false),
        new("grad W2  H1ᵀ·dZ2(TN)", 256, 128, 128, true, false),
        new("grad H1  dZ2·W2ᵀ(NT)", 128, 256, 128, false, true),
        new("grad H2  dZ3·W3ᵀ(NT)", 128, 128, 10, false, true),
        new("eval     X·W1 b=1000", 1000, 256, 784, false, false),
    ];

    public static void Run(TextWriter output, IReadOnlyList<int> threadCounts, TimeSpan perCase)
    {
        var kernels = GemmKernels.Supported().Where(k => k != GemmKernel.Scalar).ToArray();
        var header = $"{"product",-24}{"m x n x k",-18}" + string.Concat(
            kernels.SelectMany(k => threadCounts.Select(t => $"{$"{k} {t}T",16}")));
        output.WriteLine("GEMM GFLOP/s (2*m*n*k flops per product, best of repeated runs)");
        output.WriteLine(header);
        output.WriteLine(new string('-', header.Length));
        foreach (var shape in Shapes)
        {
            var line = $"{shape.Name,-24}{$"{shape.M}x{shape.N}x{shape.K}",-18}";
            foreach (var kernel in kernels)
                foreach (var threads in threadCounts)
                    line += $"{Measure(shape, kernel, threads, perCase),16:F1}";
            output.WriteLine(line);
        }
        output.WriteLine();
    }

    private static double Measure(Shape shape, GemmKernel kernel, int threads, TimeSpan perCase)
    {
        var rng = new Xoshiro256(1);
        var a = Filled(shape.M * shape.K, ref rng);
        var b = Filled(shape.K * shape.N, ref rng);
        var c = new float[shape.M * shape.N];
        using var pool = new WorkerPool(threads);
        var gemm = new MatrixMultiplier(pool, kernel);
        for (var i = 0; i < 20; i++) gemm.Multiply(a, shape.TransposeA, b, shape.TransposeB, c, shape.M, shape.N, shape.K);

        var flops = 2.0 * shape.M * shape.N * shape.K;
        var best = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.Elapsed < perCase)
        {
            const int reps = 10;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < reps; i++) gemm.Multiply(a, shape.TransposeA, b, shape.TransposeB, c, shape.M, shape.N, shape.K);
            best = Math.Min(best, watch.Elapsed.TotalSeconds / reps);
        }
        return flops / best / 1e9;
    }

    private static float[] Filled(int length, ref Xoshiro256 rng)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++) values[i] = rng.NextSingle() - 0.5f;
        return values;
    }
}
