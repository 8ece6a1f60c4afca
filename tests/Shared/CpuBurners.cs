namespace TestSupport;

/// <summary>Threads that spin until disposed: the noisy neighbour of a shared CI runner, on purpose.</summary>
public sealed class CpuBurners : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _threads;

    private CpuBurners(int count)
    {
        _threads = Enumerable.Range(0, count).Select(_ => new Thread(Spin) { IsBackground = true }).ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    public static CpuBurners Start(int count) => new(count);

    private void Spin()
    {
        var x = 0UL;
        while (!_stop.IsCancellationRequested) x = x * 6364136223846793005UL + 1442695040888963407UL;
        GC.KeepAlive(x);
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var thread in _threads) thread.Join();
        _stop.Dispose();
    }
}
