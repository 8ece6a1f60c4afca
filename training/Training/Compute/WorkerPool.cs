using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Training.Compute;

/// <summary>One piece of work cut into shares; <see cref="Execute"/> runs share <c>share</c> of <c>shareCount</c>.</summary>
public interface IParallelWork
{
    void Execute(int share, int shareCount);
}

/// <summary>
/// A fixed set of dedicated threads that run one <see cref="IParallelWork"/> at a time; the caller works too.
/// Training issues thousands of sub-millisecond parallel regions per epoch, so:
/// - shares are claimed from a counter rather than assigned to threads, so the caller never waits for a thread the
///   OS has not scheduled yet (on a busy machine it simply runs every share itself); which thread runs a share
///   never changes what the share computes;
/// - idle workers spin briefly (yielding) before they block, because waking a blocked thread costs tens of
///   microseconds, more in a VM;
/// - nothing is allocated per region (Parallel.For allocates per call).
/// Not reentrant: one <see cref="Run(IParallelWork)"/> at a time.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000; // 1 ms
    /// <summary>Share counter value between runs: far above any share count, so late claims fail.</summary>
    private const int Closed = int.MaxValue / 2;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _wake;
    private readonly ManualResetEventSlim _done = new(false);
    private readonly Exception?[] _errors;
    private IParallelWork? _work;
    private int _shareCount;
    private int _nextShare = Closed;
    private int _completedShares;
    private int _generation;
    private int _running;
    private volatile bool _disposed;

    public WorkerPool(int degreeOfParallelism)
    {
        if (degreeOfParallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(degreeOfParallelism), $"Degree of parallelism must be at least 1, got {degreeOfParallelism}.");
        DegreeOfParallelism = degreeOfParallelism;
        _errors = new Exception?[degreeOfParallelism];
        _wake = new ManualResetEventSlim[degreeOfParallelism];
        _threads = new Thread[degreeOfParallelism - 1];
        for (var i = 1; i < degreeOfParallelism; i++)
        {
            _wake[i] = new ManualResetEventSlim(false);
            var worker = i;
            _threads[i - 1] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"training-worker-{i}" };
            _threads[i - 1].Start();
        }
    }

    public int DegreeOfParallelism { get; }

    /// <summary>Runs <paramref name="work"/> in <see cref="DegreeOfParallelism"/> shares and returns when all are done.</summary>
    public void Run(IParallelWork work) => Run(work, DegreeOfParallelism);

    /// <summary>Runs <paramref name="work"/> in <paramref name="shares"/> shares (at most <see cref="DegreeOfParallelism"/>).</summary>
    public void Run(IParallelWork work, int shares)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        shares = Math.Clamp(shares, 1, DegreeOfParallelism);
        if (shares == 1)
        {
            work.Execute(0, 1);
            return;
        }
        if (Interlocked.Exchange(ref _running, 1) != 0)
            throw new InvalidOperationException("WorkerPool.Run was called while another Run was in progress; a pool serves one caller at a time.");
        try
        {
            // Publish the job, then open the share counter: a worker reads the job only after claiming a share,
            // and a worker still finishing its previous wait cannot claim while the counter is closed.
            _work = work;
            _shareCount = shares;
            _done.Reset();
            Volatile.Write(ref _completedShares, 0);
            Volatile.Write(ref _nextShare, 0);
            Interlocked.Increment(ref _generation);
            for (var i = 1; i < shares; i++) _wake[i].Set();
            RunShares();
            WaitForShares(shares);
            Volatile.Write(ref _nextShare, Closed);
            _work = null;
            ThrowCollectedErrors();
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void RunShares()
    {
        int share;
        while ((share = Interlocked.Increment(ref _nextShare) - 1) < Volatile.Read(ref _shareCount))
        {
            var shares = _shareCount;
            try { _work!.Execute(share, shares); }
            catch (Exception e) { _errors[share] = e; }
            if (Interlocked.Increment(ref _completedShares) == shares) _done.Set();
        }
    }

    private void WaitForShares(int shares)
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _completedShares) != shares)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                _done.Wait();
                return;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void WorkerLoop(int worker)
    {
        var seen = 0;
        while (true)
        {
            if (!SpinUntilChanged(seen))
            {
                // Reset before the re-check: Run bumps the generation before it sets the event, so either we see
                // the new generation here or the Set comes after this Reset and ends the Wait.
                _wake[worker].Reset();
                if (Volatile.Read(ref _generation) == seen && !_disposed) _wake[worker].Wait();
            }
            if (_disposed) return;
            seen = Volatile.Read(ref _generation);
            RunShares();
        }
    }

    private bool SpinUntilChanged(int seen)
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _generation) == seen && !_disposed)
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    private void ThrowCollectedErrors()
    {
        List<Exception>? errors = null;
        for (var i = 0; i < _errors.Length; i++)
        {
            if (_errors[i] is { } e) (errors ??= []).Add(e);
            _errors[i] = null;
        }
        if (errors is null) return;
        if (errors.Count == 1) ExceptionDispatchInfo.Throw(errors[0]);
        throw new AggregateException("Parallel work failed in several shares.", errors);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (var i = 1; i < DegreeOfParallelism; i++) _wake[i].Set();
        foreach (var thread in _threads) thread.Join();
        for (var i = 1; i < DegreeOfParallelism; i++) _wake[i].Dispose();
        _done.Dispose();
    }
}
