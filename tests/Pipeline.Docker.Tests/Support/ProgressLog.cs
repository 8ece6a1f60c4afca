namespace Pipeline.Docker.Tests;

/// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
internal sealed class ProgressLog<T> : IProgress<T>
{
    private readonly List<T> items = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (items)
            {
                return [.. items];
            }
        }
    }

    public void Report(T value)
    {
        lock (items)
        {
            items.Add(value);
        }
    }
}
