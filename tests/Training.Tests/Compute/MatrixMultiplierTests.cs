using Training.Compute;
using Training.Tests.Support;

namespace Training.Tests.Compute;

public sealed class MatrixMultiplierTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 1, 1 }, { 1, 7, 33 }, { 7, 1, 5 }, { 7, 33, 257 }, { 33, 257, 7 }, { 257, 33, 65 }, { 9, 40, 300 }, { 20, 17, 64 }, { 130, 70, 513 },
    };

    /// <summary>op(A)(i,p) for A stored [m,k] or, transposed, [k,m].</summary>
    private static float At(float[] a, bool transposed, int rows, int cols, int i, int p) => transposed ? a[p * rows + i] : a[i * cols + p];

    /// <summary>The contract: each C element is one fused multiply-add chain in increasing k.</summary>
    private static float[] FmaReference(float[] a, bool ta, float[] b, bool tb, float[]? c, int m, int n, int k)
    {
        var result = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = c?[i * n + j] ?? 0f;
                for (var p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(At(a, ta, m, k, i, p), tb ? b[j * k + p] : b[p * n + j], sum);
                result[i * n + j] = sum;
            }
        return result;
    }

    private static double[] DoubleReference(float[] a, bool ta, float[] b, bool tb, int m, int n, int k)
    {
        var result = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++) sum += (double)At(a, ta, m, k, i, p) * (tb ? b[j * k + p] : b[p * n + j]);
                result[i * n + j] = sum;
            }
        return result;
    }

    private static float[] Multiply(GemmKernel kernel, int threads, float[] a, bool ta, float[] b, bool tb, float[]? initial, int m, int n, int k)
    {
        using var pool = new WorkerPool(threads);
        var gemm = new MatrixMultiplier(pool, kernel, parallelThresholdFlops: 0);
        var c = initial is null ? Enumerable.Repeat(float.NaN, m * n).ToArray() : (float[])initial.Clone();
        gemm.Multiply(a, ta, b, tb, c, m, n, k, accumulate: initial is not null);
        return c;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void All_kernels_and_thread_counts_match_the_fma_chain_bit_for_bit(int m, int n, int k)
    {
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var a = SyntheticData.RandomMatrix(m * k, 1);
            var b = SyntheticData.RandomMatrix(k * n, 2);
            var expected = FmaReference(a, ta, b, tb, null, m, n, k);
            var exact = DoubleReference(a, ta, b, tb, m, n, k);
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - exact[i]) <= 1e-5 * k, $"reference itself is off at {i}: {expected[i]} vs {exact[i]}");

            foreach (var kernel in GemmKernels.Supported())
                foreach (var threads in new[] { 1, 2, 3 })
                {
                    var actual = Multiply(kernel, threads, a, ta, b, tb, null, m, n, k);
                    Assert.True(expected.AsSpan().SequenceEqual(actual),
                        $"{kernel}, {threads} thread(s), transposeA={ta}, transposeB={tb}, {m}x{n}x{k}: first difference at {FirstDifference(expected, actual)}");
                }
        }
    }

    [Theory]
    [InlineData(5, 37, 300)]
    [InlineData(17, 9, 3)]
    public void Accumulate_continues_the_chain_from_the_existing_values(int m, int n, int k)
    {
        var a = SyntheticData.RandomMatrix(m * k, 3);
        var b = SyntheticData.RandomMatrix(k * n, 4);
        var initial = SyntheticData.RandomMatrix(m * n, 5);
        var expected = FmaReference(a, true, b, false, initial, m, n, k);

        foreach (var kernel in GemmKernels.Supported())
            Assert.Equal(expected, Multiply(kernel, 2, a, true, b, false, initial, m, n, k));
    }

    [Fact]
    public void Zero_depth_product_clears_or_keeps_the_output()
    {
        using var pool = new WorkerPool(1);
        var gemm = new MatrixMultiplier(pool);
        var c = new float[] { 1, 2 };
        gemm.Multiply([], false, [], false, c, 1, 2, 0, accumulate: true);
        Assert.Equal([1f, 2f], c);
        gemm.Multiply([], false, [], false, c, 1, 2, 0);
        Assert.Equal([0f, 0f], c);
    }

    [Fact]
    public void Too_small_buffers_are_rejected()
    {
        using var pool = new WorkerPool(1);
        var gemm = new MatrixMultiplier(pool);
        var error = Assert.Throws<ArgumentException>(() => gemm.Multiply(new float[5], false, new float[6], false, new float[4], 2, 2, 3));
        Assert.Contains("A holds 5 values, fewer than m*k = 6", error.Message);
    }

    private static int FirstDifference(float[] expected, float[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i])) return i;
        return -1;
    }
}
