using System.Runtime.Intrinsics;

namespace Training.Compute;

/// <summary>Which micro-kernel the matrix products use. All give bit-identical results; they differ only in speed.</summary>
public enum GemmKernel
{
    /// <summary>The widest kernel the CPU accelerates: Vector512, else Vector256 with FMA, else scalar.</summary>
    Auto,
    /// <summary>8x32 tile on AVX-512 (needs Vector512.IsHardwareAccelerated).</summary>
    Vector512,
    /// <summary>6x16 tile on AVX2/FMA-class hardware (needs Vector256.IsHardwareAccelerated).</summary>
    Vector256,
    /// <summary>Portable scalar fused multiply-add loop.</summary>
    Scalar,
}

public static class GemmKernels
{
    /// <summary>Replaces <see cref="GemmKernel.Auto"/> by the best supported kernel; rejects unsupported explicit choices.</summary>
    public static GemmKernel Resolve(GemmKernel requested) => requested switch
    {
        GemmKernel.Auto when Vector512.IsHardwareAccelerated => GemmKernel.Vector512,
        GemmKernel.Auto when Vector256.IsHardwareAccelerated => GemmKernel.Vector256,
        GemmKernel.Auto => GemmKernel.Scalar,
        GemmKernel.Vector512 when !Vector512.IsHardwareAccelerated =>
            throw new NotSupportedException("The Vector512 GEMM kernel needs AVX-512 (Vector512.IsHardwareAccelerated is false on this CPU); use Auto."),
        GemmKernel.Vector256 when !Vector256.IsHardwareAccelerated =>
            throw new NotSupportedException("The Vector256 GEMM kernel needs AVX2 (Vector256.IsHardwareAccelerated is false on this CPU); use Auto."),
        _ => requested,
    };

    /// <summary>Kernels this CPU can run, widest first.</summary>
    public static IReadOnlyList<GemmKernel> Supported()
    {
        var kernels = new List<GemmKernel>();
        if (Vector512.IsHardwareAccelerated) kernels.Add(GemmKernel.Vector512);
        if (Vector256.IsHardwareAccelerated) kernels.Add(GemmKernel.Vector256);
        kernels.Add(GemmKernel.Scalar);
        return kernels;
    }
}
