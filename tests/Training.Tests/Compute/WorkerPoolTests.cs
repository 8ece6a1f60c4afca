using Training.Compute;

namespace Training.Tests.Compute;

public sealed class WorkerPoolTests
{
    private sealed class Recorder(int slots, int throwOn = -1) : IParallelWork
    {
        public readonly int[] Calls = new int[slots];
        public readonly int[] Counts = new int[slots];

        public void Execute(int worker, int workerCount)
        {
            Interlocked.Increment(ref Calls[worker]);
            Counts[worker] = workerCount;
            if (worker == throwOn) throw new InvalidOperationException($"worker {worker} failed");
        }
    }

    [Fact]
    public void Every_worker_runs_each_job_exactly_once()
    {
        using var pool = new WorkerPool(3);
        var work = new Recorder(3);

        for (var i = 0; i < 200; i++) pool.Run(work);
        pool.Run(work, 2);

        Assert.Equal([201, 201, 200], work.Calls);
        Assert.Equal([2, 2, 3], work.Counts);
    }

    [Fact]
    public void A_worker_exception_reaches_the_caller_and_the_pool_stays_usable()
    {
        using var pool = new WorkerPool(2);

        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(new Recorder(2, throwOn: 1)));
        Assert.Equal("worker 1 failed", error.Message);

        var work = new Recorder(2);
        pool.Run(work);
        Assert.Equal([1, 1], work.Calls);
    }

    [Fact]
    public void Disposed_pool_refuses_work()
    {
        var pool = new WorkerPool(2);
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(new Recorder(2)));
    }
}
