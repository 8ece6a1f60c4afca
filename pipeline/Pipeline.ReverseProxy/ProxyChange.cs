namespace Pipeline.ReverseProxy;

/// <summary>
/// One applied configuration: whether nginx was started or reloaded, when it was told to (before the start or the
/// reload signal) and when its new workers ran (<see cref="System.Diagnostics.Stopwatch"/> timestamps), the workers that still serve the old configuration until
/// their requests finish, and where the access log stood before the change.
/// </summary>
public sealed record ProxyChange(bool Started, long RequestedTimestamp, long AppliedTimestamp, IReadOnlySet<int> RetiringWorkers, long AccessLogOffset);
