namespace Pipeline.ReverseProxy;

/// <summary>How <see cref="HaproxyEdge.ApplyAsync"/> applied a description.</summary>
public enum EdgeChangeKind
{
    /// <summary>haproxy was not running and was started.</summary>
    Started,

    /// <summary>The routes or limits changed: a seamless master-worker reload (client connections are not reset).</summary>
    Reloaded,

    /// <summary>Only servers, weights or addresses changed: runtime API commands, no reload, no closed connection.</summary>
    Runtime,

    /// <summary>The running edge already routes as described.</summary>
    Unchanged,
}

/// <summary>One applied description: how, and when it was asked for and when it took effect (<see cref="System.Diagnostics.Stopwatch"/> timestamps).</summary>
public sealed record EdgeChange(EdgeChangeKind Kind, long RequestedTimestamp, long AppliedTimestamp);
