namespace Training.Tests.Support;

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
public sealed class SyncProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get { lock (_reports) return _reports.ToArray(); }
    }

    public void Report(T value)
    {
        lock (_reports) _reports.Add(value);
    }
}
