using System.Diagnostics;

namespace Pipeline.ModelRegistry.Storage;

/// <summary>Serializes read-modify-write of registry records across threads (a semaphore) and across instances and
/// processes (an exclusive lock on <c>registry.lock</c>; on Linux .NET takes it with flock, which the kernel releases
/// when the holder dies, so a crashed writer never leaves the registry locked).</summary>
internal sealed class RegistryWriteLock(string lockPath, TimeSpan timeout) : IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _inProcess = new(1, 1);

    public string LockPath { get; } = lockPath;

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        // Waiting is measured on the real clock: it coordinates with other processes, not with recorded times.
        var waited = Stopwatch.StartNew();
        if (!await _inProcess.WaitAsync(timeout, cancellationToken)) throw Timeout(null);
        try
        {
            var fileLock = await AcquireFileLockAsync(waited, cancellationToken);
            return new Held(this, fileLock);
        }
        catch
        {
            _inProcess.Release();
            throw;
        }
    }

    public void Dispose() => _inProcess.Dispose();

    private async Task<FileStream> AcquireFileLockAsync(Stopwatch waited, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                // Jitter keeps contending writers from retrying in lock step.
                await Task.Delay(delay * (0.5 + Random.Shared.NextDouble()), cancellationToken);
                delay = delay * 2 < LongestRetryDelay ? delay * 2 : LongestRetryDelay;
            }
            catch (IOException held)
            {
                throw Timeout(held);
            }
        }
    }

    private ModelRegistryException Timeout(Exception? inner) => new(
        ModelRegistryError.LockTimeout,
        $"Timed out after {timeout.TotalSeconds:0.#} s waiting for the model registry lock '{LockPath}'. Another registry " +
        $"writer holds it; if no build is running, find the process holding it with `fuser {LockPath}` and stop it " +
        "(the lock is released when its process exits; the file itself can stay).",
        inner);

    private sealed class Held(RegistryWriteLock owner, FileStream fileLock) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await fileLock.DisposeAsync();
            owner._inProcess.Release();
        }
    }
}
