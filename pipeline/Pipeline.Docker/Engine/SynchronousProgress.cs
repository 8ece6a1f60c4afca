namespace Pipeline.Docker;

/// <summary>
/// Hands each message to <paramref name="report"/> on the reading thread, in order (Progress&lt;T&gt; would post
/// them to the thread pool, out of order and possibly after the call returned).
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
