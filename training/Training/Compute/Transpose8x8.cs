using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Training.Compute;

/// <summary>
/// Transposes 8x8 float blocks in registers (AVX): packing a row-major A, or a transposed B, is a transpose, and
/// doing it element by element costs more than the multiply itself for the smaller training products.
/// </summary>
internal static unsafe class Transpose8x8
{
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>dst[c * dstStride + r] = src[r * srcStride + c] for r, c in 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block(float* src, nint srcStride, float* dst, nint dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride);
        var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride);
        var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride);
        var r7 = Avx.LoadVector256(src + 7 * srcStride);

        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>dst[c * dstStride + r] = src[r * srcStride + c] for r &lt; rows, c &lt; cols: whole 8x8 blocks in
    /// registers when supported, the ragged rest element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Matrix(float* src, nint srcStride, int rows, int cols, float* dst, nint dstStride)
    {
        int fullRows = 0, fullCols = 0;
        if (IsSupported)
        {
            fullRows = rows & ~7;
            fullCols = cols & ~7;
            for (var r = 0; r < fullRows; r += 8)
                for (var c = 0; c < fullCols; c += 8)
                    Block(src + r * srcStride + c, srcStride, dst + c * dstStride + r, dstStride);
        }
        for (var r = 0; r < rows; r++)
        {
            var from = r < fullRows ? fullCols : 0;
            for (var c = from; c < cols; c++) dst[c * dstStride + r] = src[r * srcStride + c];
        }
    }
}
