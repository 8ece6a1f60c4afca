using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Training.Compute;

/// <summary>
/// Blocked single-precision GEMM: C[m,n] (+)= op(A)[m,k] · op(B)[k,n], all row-major, where op() optionally
/// transposes (A stored [k,m], B stored [n,k]). The three products of training are X·W (forward), dY·Wᵀ (input
/// gradient) and Xᵀ·dY (weight gradient).
///
/// Determinism: parallel shares split only the OUTPUT (whole column panels or whole row tiles of C); each C element
/// is computed within one share as a single fused multiply-add chain over k = 0..k-1 in order (k blocks continue
/// the chain from C). No partial sums are ever combined across threads, so results are bit-identical for any degree
/// of parallelism and for every kernel in <see cref="GemmKernel"/>.
///
/// Not thread-safe: one Multiply at a time per instance (it owns the packing buffers).
/// </summary>
public sealed unsafe class MatrixMultiplier
{
    /// <summary>Depth of one k block: a 256 x 32 packed B panel (32 KB) stays in L1 while a row tile streams over it.</summary>
    private const int KBlock = 256;
    private const long DefaultParallelThresholdFlops = 2_000_000;

    private readonly WorkerPool _pool;
    private readonly GemmJob _job;
    private readonly long _parallelThresholdFlops;

    /// <param name="pool">Threads to split the work over.</param>
    /// <param name="kernel">Micro-kernel choice; <see cref="GemmKernel.Auto"/> picks the widest supported.</param>
    /// <param name="parallelThresholdFlops">Products below this many flops (2mnk) run on one thread, where waking a
    /// second one costs more than it saves.</param>
    public MatrixMultiplier(WorkerPool pool, GemmKernel kernel = GemmKernel.Auto, long parallelThresholdFlops = DefaultParallelThresholdFlops)
    {
        _pool = pool;
        Kernel = GemmKernels.Resolve(kernel);
        _parallelThresholdFlops = parallelThresholdFlops;
        _job = new GemmJob(Kernel, pool.DegreeOfParallelism);
    }

    public GemmKernel Kernel { get; }
    public int DegreeOfParallelism => _pool.DegreeOfParallelism;

    /// <summary>
    /// C[m,n] = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>.
    /// A holds m*k values ([m,k], or [k,m] if <paramref name="transposeA"/>); B holds k*n ([k,n], or [n,k] if
    /// <paramref name="transposeB"/>); C holds m*n.
    /// </summary>
    public void Multiply(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c,
        int m, int n, int k, bool accumulate = false)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative, got m={m}, n={n}, k={k}.");
        if (a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} values, fewer than m*k = {(long)m * k}.", nameof(a));
        if (b.Length < (long)k * n) throw new ArgumentException($"B holds {b.Length} values, fewer than k*n = {(long)k * n}.", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C holds {c.Length} values, fewer than m*n = {(long)m * n}.", nameof(c));
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            _job.Set(pa, transposeA, pb, transposeB, pc, m, n, k, accumulate);
            var flops = 2L * m * n * k;
            var shares = flops < _parallelThresholdFlops ? 1 : _job.UsefulShares(_pool.DegreeOfParallelism);
            _pool.Run(_job, shares);
        }
    }

    private sealed class GemmJob : IParallelWork
    {
        private readonly int _mr, _nr;
        private readonly delegate*<int, float*, float*, float*, nint, bool, void> _kernel;
        private readonly ShareBuffers[] _buffers;
        private float* _a, _b, _c;
        private bool _transposeA, _transposeB, _accumulate;
        private int _m, _n, _k;

        public GemmJob(GemmKernel kernel, int maxShares)
        {
            switch (kernel)
            {
                case GemmKernel.Vector512:
                    (_mr, _nr) = (GemmMicroKernels.Mr512, GemmMicroKernels.Nr512);
                    _kernel = &GemmMicroKernels.Kernel512;
                    break;
                case GemmKernel.Vector256:
                    (_mr, _nr) = (GemmMicroKernels.Mr256, GemmMicroKernels.Nr256);
                    _kernel = &GemmMicroKernels.Kernel256;
                    break;
                default:
                    (_mr, _nr) = (GemmMicroKernels.MrScalar, GemmMicroKernels.NrScalar);
                    _kernel = &GemmMicroKernels.KernelScalar;
                    break;
            }
            _buffers = new ShareBuffers[maxShares];
            for (var i = 0; i < maxShares; i++) _buffers[i] = new ShareBuffers();
        }

        public void Set(float* a, bool transposeA, float* b, bool transposeB, float* c, int m, int n, int k, bool accumulate)
        {
            _a = a;
            _b = b;
            _c = c;
            (_transposeA, _transposeB, _accumulate) = (transposeA, transposeB, accumulate);
            (_m, _n, _k) = (m, n, k);
        }

        private int Panels => (_n + _nr - 1) / _nr;
        private int Tiles => (_m + _mr - 1) / _mr;

        public int UsefulShares(int available) => Math.Min(available, Math.Max(Panels, Tiles));

        /// <summary>Splits whichever output dimension leaves the largest share with fewer tiles (columns on a tie,
        /// so B panels are packed once).</summary>
        private bool SplitColumns(int shares)
        {
            var byColumns = (long)Ceiling(Panels, shares) * Tiles;
            var byRows = (long)Ceiling(Tiles, shares) * Panels;
            return byColumns <= byRows;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int share, int shareCount)
        {
            int p0 = 0, p1 = Panels, t0 = 0, t1 = Tiles;
            if (SplitColumns(shareCount)) (p0, p1) = Range(Panels, share, shareCount);
            else (t0, t1) = Range(Tiles, share, shareCount);
            if (p0 >= p1 || t0 >= t1) return;

            var blocks = Ceiling(_k, KBlock);
            var blockDepth = Ceiling(_k, blocks);
            var buffers = _buffers[share];
            var packedB = buffers.PackedB((long)blockDepth * (p1 - p0) * _nr);
            var packedA = buffers.PackedA(blockDepth * _mr + GemmPacking.PackedASlack);
            var tile = buffers.Tile(_mr * _nr);

            for (var k0 = 0; k0 < _k; k0 += blockDepth)
            {
                var kc = Math.Min(blockDepth, _k - k0);
                var accumulate = _accumulate || k0 > 0;
                for (var q = p0; q < p1; q++)
                    GemmPacking.PackB(_b, _transposeB, _n, _k, q * _nr, Math.Min(_nr, _n - q * _nr), k0, kc, packedB + (long)(q - p0) * kc * _nr, _nr);
                for (var t = t0; t < t1; t++)
                {
                    var row0 = t * _mr;
                    var rows = Math.Min(_mr, _m - row0);
                    GemmPacking.PackA(_a, _transposeA, _m, _k, row0, rows, k0, kc, packedA, _mr);
                    for (var q = p0; q < p1; q++)
                    {
                        var col0 = q * _nr;
                        var cols = Math.Min(_nr, _n - col0);
                        var target = _c + (long)row0 * _n + col0;
                        var panel = packedB + (long)(q - p0) * kc * _nr;
                        if (rows == _mr && cols == _nr)
                            _kernel(kc, packedA, panel, target, _n, accumulate);
                        else
                            EdgeTile(kc, packedA, panel, target, rows, cols, tile, accumulate);
                    }
                }
            }
        }

        /// <summary>A partial tile runs the full kernel on a scratch tile and copies only the valid part.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void EdgeTile(int kc, float* packedA, float* panel, float* target, int rows, int cols, float* tile, bool accumulate)
        {
            if (accumulate)
                for (var i = 0; i < rows; i++)
                    new ReadOnlySpan<float>(target + (long)i * _n, cols).CopyTo(new Span<float>(tile + i * _nr, cols));
            _kernel(kc, packedA, panel, tile, _nr, accumulate);
            for (var i = 0; i < rows; i++)
                new ReadOnlySpan<float>(tile + i * _nr, cols).CopyTo(new Span<float>(target + (long)i * _n, cols));
        }

        private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

        private static (int Start, int End) Range(int count, int share, int shares)
        {
            var size = count / shares;
            var remainder = count % shares;
            var start = share * size + Math.Min(share, remainder);
            return (start, start + size + (share < remainder ? 1 : 0));
        }
    }

    /// <summary>Packing buffers of one share on the pinned heap, 64-byte aligned, grown on demand and then reused.</summary>
    private sealed class ShareBuffers
    {
        private float[] _a = [], _b = [], _tile = [];

        public float* PackedA(long length) => Aligned(ref _a, length);
        public float* PackedB(long length) => Aligned(ref _b, length);
        public float* Tile(long length) => Aligned(ref _tile, length);

        private static float* Aligned(ref float[] buffer, long length)
        {
            const int alignFloats = 16;
            if (buffer.Length < length + alignFloats)
                buffer = GC.AllocateUninitializedArray<float>(checked((int)(length + alignFloats)), pinned: true);
            var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            return (float*)((address + 63) & ~(nint)63);
        }
    }
}
