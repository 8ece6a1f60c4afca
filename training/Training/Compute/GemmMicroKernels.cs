using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Training.Compute;

/// <summary>
/// Register-blocked GEMM micro-kernels over packed panels (see <see cref="GemmPacking"/>): A packed k-major with
/// MR values per k, B packed k-major with NR values per k. Every C element is one chain of fused multiply-adds in
/// increasing k, starting from zero or from C, so all kernels (and any thread split) give bit-identical results.
/// The accumulators are spelled out as named locals so the JIT keeps them all in registers.
/// Hot methods of training are marked AggressiveOptimization: they run from the first batch, and unoptimized
/// tier-0 code there made the first epoch three times slower.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    public const int Mr512 = 8, Nr512 = 32, Mr256 = 6, Nr256 = 16, MrScalar = 4, NrScalar = 4;

    /// <summary>C[8 x 32] (+)= packed A panel (kc x 8) times packed B panel (kc x 32), one fused multiply-add per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel512(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (accumulate)
        {
            c00 = Vector512.Load(c + 0 * ldc);
            c01 = Vector512.Load(c + 0 * ldc + 16);
            c10 = Vector512.Load(c + 1 * ldc);
            c11 = Vector512.Load(c + 1 * ldc + 16);
            c20 = Vector512.Load(c + 2 * ldc);
            c21 = Vector512.Load(c + 2 * ldc + 16);
            c30 = Vector512.Load(c + 3 * ldc);
            c31 = Vector512.Load(c + 3 * ldc + 16);
            c40 = Vector512.Load(c + 4 * ldc);
            c41 = Vector512.Load(c + 4 * ldc + 16);
            c50 = Vector512.Load(c + 5 * ldc);
            c51 = Vector512.Load(c + 5 * ldc + 16);
            c60 = Vector512.Load(c + 6 * ldc);
            c61 = Vector512.Load(c + 6 * ldc + 16);
            c70 = Vector512.Load(c + 7 * ldc);
            c71 = Vector512.Load(c + 7 * ldc + 16);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<float>.Zero;
        }
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            a += 8;
            b += 32;
        }
        c00.Store(c + 0 * ldc);
        c01.Store(c + 0 * ldc + 16);
        c10.Store(c + 1 * ldc);
        c11.Store(c + 1 * ldc + 16);
        c20.Store(c + 2 * ldc);
        c21.Store(c + 2 * ldc + 16);
        c30.Store(c + 3 * ldc);
        c31.Store(c + 3 * ldc + 16);
        c40.Store(c + 4 * ldc);
        c41.Store(c + 4 * ldc + 16);
        c50.Store(c + 5 * ldc);
        c51.Store(c + 5 * ldc + 16);
        c60.Store(c + 6 * ldc);
        c61.Store(c + 6 * ldc + 16);
        c70.Store(c + 7 * ldc);
        c71.Store(c + 7 * ldc + 16);
    }

    /// <summary>C[6 x 16] (+)= packed A panel (kc x 6) times packed B panel (kc x 16), one fused multiply-add per k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel256(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (accumulate)
        {
            c00 = Vector256.Load(c + 0 * ldc);
            c01 = Vector256.Load(c + 0 * ldc + 8);
            c10 = Vector256.Load(c + 1 * ldc);
            c11 = Vector256.Load(c + 1 * ldc + 8);
            c20 = Vector256.Load(c + 2 * ldc);
            c21 = Vector256.Load(c + 2 * ldc + 8);
            c30 = Vector256.Load(c + 3 * ldc);
            c31 = Vector256.Load(c + 3 * ldc + 8);
            c40 = Vector256.Load(c + 4 * ldc);
            c41 = Vector256.Load(c + 4 * ldc + 8);
            c50 = Vector256.Load(c + 5 * ldc);
            c51 = Vector256.Load(c + 5 * ldc + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero;
        }
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        c00.Store(c + 0 * ldc);
        c01.Store(c + 0 * ldc + 8);
        c10.Store(c + 1 * ldc);
        c11.Store(c + 1 * ldc + 8);
        c20.Store(c + 2 * ldc);
        c21.Store(c + 2 * ldc + 8);
        c30.Store(c + 3 * ldc);
        c31.Store(c + 3 * ldc + 8);
        c40.Store(c + 4 * ldc);
        c41.Store(c + 4 * ldc + 8);
        c50.Store(c + 5 * ldc);
        c51.Store(c + 5 * ldc + 8);
    }

    /// <summary>Portable fallback with the same k-order fused multiply-add chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KernelScalar(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        var acc = stackalloc float[MrScalar * NrScalar];
        for (var i = 0; i < MrScalar; i++)
            for (var j = 0; j < NrScalar; j++)
                acc[i * NrScalar + j] = accumulate ? c[i * ldc + j] : 0f;
        for (var p = 0; p < kc; p++, a += MrScalar, b += NrScalar)
            for (var i = 0; i < MrScalar; i++)
                for (var j = 0; j < NrScalar; j++)
                    acc[i * NrScalar + j] = MathF.FusedMultiplyAdd(a[i], b[j], acc[i * NrScalar + j]);
        for (var i = 0; i < MrScalar; i++)
            for (var j = 0; j < NrScalar; j++)
                c[i * ldc + j] = acc[i * NrScalar + j];
    }
}
