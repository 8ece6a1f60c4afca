using System.Collections;

namespace Pipeline.Stages.Tests;

/// <summary>
/// The log lines stages write during the tests. Stages log from several threads at once (proxy reloads, container
/// waits, load runs), so adding and reading are locked; enumerating reads a snapshot.
/// </summary>
public sealed class TestLog : IEnumerable<string>
{
    private readonly List<string> _lines = [];

    public void Add(string line)
    {
        lock (_lines) _lines.Add(line);
    }

    public IEnumerator<string> GetEnumerator()
    {
        lock (_lines) return _lines.ToList().GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
