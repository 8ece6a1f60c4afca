namespace Pipeline.ReverseProxy;

/// <summary>
/// One applied configuration: whether nginx was started or reloaded, when its new workers took over (a
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp), the workers that still serve the old configuration until
/// their requests finish, and where the access log stood before the change.
/// </summary>
public sealed record ProxyChange(bool Started, long AppliedTimestamp, IReadOnlySet<int> RetiringWorkers, long AccessLogOffset);
