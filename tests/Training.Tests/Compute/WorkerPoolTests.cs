using Training.Compute;

namespace Training.Tests.Compute;

public sealed class WorkerPoolTests
{
    private sealed class Recorder(int slots, int throwOn = -1) : IParallelWork
    {
        public readonly int[] Calls = new int[slots];
        public readonly int[] Counts = new int[slots];
        public readonly HashSet<int> Threads = [];

        public void Execute(int share, int shareCount)
        {
            Interlocked.Increment(ref Calls[share]);
            Counts[share] = shareCount;
            lock (Threads) Threads.Add(Environment.CurrentManagedThreadId);
            if (share == throwOn) throw new InvalidOperationException($"share {share} failed");
            Thread.SpinWait(20_000); // long enough for the other threads to claim their shares
        }
    }

    [Fact]
    public void Every_share_runs_exactly_once_per_run()
    {
        using var pool = new WorkerPool(3);
        var work = new Recorder(3);

        for (var i = 0; i < 200; i++) pool.Run(work);
        pool.Run(work, 2);

        Assert.Equal([201, 201, 200], work.Calls);
        Assert.Equal([2, 2, 3], work.Counts);
    }

    [Fact]
    public void Pool_threads_take_shares()
    {
        using var pool = new WorkerPool(2);
        var work = new Recorder(2);
        var deadline = DateTime.UtcNow.AddSeconds(10); // on a saturated machine the caller may run many jobs alone

        while (work.Threads.Count < 2 && DateTime.UtcNow < deadline) pool.Run(work);

        Assert.Equal(2, work.Threads.Count);
    }

    [Fact]
    public void One_share_runs_on_the_calling_thread()
    {
        using var pool = new WorkerPool(2);
        var work = new Recorder(2);

        pool.Run(work, 1);

        Assert.Equal([Environment.CurrentManagedThreadId], work.Threads);
    }

    [Fact]
    public void A_failing_share_reaches_the_caller_and_the_pool_stays_usable()
    {
        using var pool = new WorkerPool(2);

        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(new Recorder(2, throwOn: 1)));
        Assert.Equal("share 1 failed", error.Message);

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
