using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Training.Compute;

/// <summary>One piece of work split among workers; each worker picks its share from its index.</summary>
public interface IParallelWork
{
    void Execute(int worker, int workerCount);
}

/// <summary>
/// A fixed set of dedicated threads that run one <see cref="IParallelWork"/> at a time, the caller acting as worker 0.
/// Training issues thousands of sub-millisecond parallel regions per epoch. Waking a blocked thread costs tens of
/// microseconds (more in a VM), so idle workers spin briefly (yielding) on a generation counter before they block;
/// back-to-back regions then start at once. Nothing is allocated per region (Parallel.For allocates per call).
/// Not reentrant: one <see cref="Run(IParallelWork)"/> at a time.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000; // 1 ms

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _wake;
    private readonly ManualResetEventSlim _done = new(false);
    private readonly Exception?[] _errors;
    private IParallelWork? _work;
    private int _workerCount;
    private int _generation;
    private int _pending;
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

    /// <summary>Runs <paramref name="work"/> on every worker and returns when all have finished.</summary>
    public void Run(IParallelWork work) => Run(work, DegreeOfParallelism);

    /// <summary>Runs <paramref name="work"/> on the first <paramref name="workers"/> workers (small jobs use fewer).</summary>
    public void Run(IParallelWork work, int workers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        workers = Math.Clamp(workers, 1, DegreeOfParallelism);
        if (workers == 1)
        {
            work.Execute(0, 1);
            return;
        }
        if (Interlocked.Exchange(ref _running, 1) != 0)
            throw new InvalidOperationException("WorkerPool.Run was called while another Run was in progress; a pool serves one caller at a time.");
        try
        {
            _work = work;
            _workerCount = workers;
            _done.Reset();
            Volatile.Write(ref _pending, workers - 1);
            Interlocked.Increment(ref _generation);
            for (var i = 1; i < workers; i++) _wake[i].Set();
            try { work.Execute(0, workers); }
            catch (Exception e) { _errors[0] = e; }
            WaitForWorkers();
            _work = null;
            ThrowCollectedErrors();
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void WaitForWorkers()
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _pending) != 0)
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
            var generation = Volatile.Read(ref _generation);
            if (generation == seen) continue;
            seen = generation;
            if (worker >= _workerCount) continue;
            try { _work!.Execute(worker, _workerCount); }
            catch (Exception e) { _errors[worker] = e; }
            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
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
        throw new AggregateException("Parallel work failed on several workers.", errors);
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
