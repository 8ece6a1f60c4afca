using System.Collections.Concurrent;

namespace Pipeline.Engine.Tests;

/// <summary>Records what target bodies did, in order, from any thread.</summary>
public sealed class EventLog
{
    private readonly ConcurrentQueue<string> _events = new();

    public void Add(string name) => _events.Enqueue(name);

    public IReadOnlyList<string> Events => _events.ToArray();

    public int Count(string name) => _events.Count(e => e == name);

    public int IndexOf(string name) => Events.ToList().IndexOf(name);
}
