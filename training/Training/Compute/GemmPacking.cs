using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Training.Compute;

/// <summary>
/// Copies blocks of A and B into the contiguous, zero-padded panel layouts the micro-kernels stream through.
/// Packing is also where transposition is absorbed, so one kernel serves X·W, dY·Wᵀ and Xᵀ·dY.
/// Zero padding makes edge tiles safe: padded rows and columns only ever multiply into discarded outputs.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Floats a packed-A buffer needs beyond mr * kc.</summary>
    public const int PackedASlack = 8;

    /// <summary>
    /// Packs op(A)[row0..row0+rows, k0..k0+kc] as dst[p * mr + i]. A is stored [m, k] row-major,
    /// or [k, m] when <paramref name="transposed"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* a, bool transposed, int m, int k, int row0, int rows, int k0, int kc, float* dst, int mr)
    {
        if (transposed)
        {
            for (var p = 0; p < kc; p++)
            {
                var src = a + (nint)(k0 + p) * m + row0;
                var d = dst + p * mr;
                CopyPadded(src, d, rows, mr);
            }
            return;
        }
        var source = a + (nint)row0 * k + k0;
        if (rows == mr && mr < 8 && row0 + 8 <= m && Transpose8x8.IsSupported)
        {
            // Narrow tiles (6 rows for the Vector256 kernel): transpose 8 rows and let each 8-float store overlap the
            // next one, which overwrites the 2 values that belong to the next tile. The last store runs up to
            // 8 - mr floats past the panel (PackedASlack).
            var p = 0;
            for (; p + 8 <= kc; p += 8) Transpose8x8.Block(source + p, k, dst + p * mr, mr);
            for (; p < kc; p++)
                for (var i = 0; i < mr; i++) dst[p * mr + i] = source[(nint)i * k + p];
            return;
        }
        Transpose8x8.Matrix(source, k, rows, kc, dst, mr);
        for (var i = rows; i < mr; i++)
            for (var p = 0; p < kc; p++) dst[p * mr + i] = 0f;
    }

    /// <summary>
    /// Packs op(B)[k0..k0+kc, col0..col0+cols] as dst[p * nr + j]. B is stored [k, n] row-major,
    /// or [n, k] when <paramref name="transposed"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* b, bool transposed, int n, int k, int col0, int cols, int k0, int kc, float* dst, int nr)
    {
        if (!transposed)
        {
            for (var p = 0; p < kc; p++)
            {
                var src = b + (nint)(k0 + p) * n + col0;
                var d = dst + p * nr;
                CopyPadded(src, d, cols, nr);
            }
            return;
        }
        Transpose8x8.Matrix(b + (nint)col0 * k + k0, k, cols, kc, dst, nr);
        for (var j = cols; j < nr; j++)
            for (var p = 0; p < kc; p++) dst[p * nr + j] = 0f;
    }

    /// <summary>Copies <paramref name="count"/> floats and zeroes the rest up to <paramref name="width"/>. These rows are
    /// only 6 to 32 floats long, where a general memory copy call costs more than the copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyPadded(float* src, float* dst, int count, int width)
    {
        var i = 0;
        for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
        for (; i < width; i++) dst[i] = 0f;
    }
}
