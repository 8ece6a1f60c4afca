using Pipeline.ReverseProxy;
using Pipeline.Rollouts.Analysis;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>
/// A canary's measurement with what the edge saw of its slot added: when its container dies or breaks connections the
/// edge answers 502/503 for it, and those answers never reach the server's own metrics (which then look healthy, frozen
/// at their last scrape). Counted from the canary's first request, so an error at any step fails every later analysis.
/// </summary>
internal sealed class EdgeCheckedMetrics(IVersionMetrics inner, HaproxyEdge edge, string model, EdgeServer canary, EdgeServerStats? before) : IVersionMetrics
{
    public Task WaitUntilMeasuredAsync(string version, TimeSpan timeout, CancellationToken cancellationToken) =>
        inner.WaitUntilMeasuredAsync(version, timeout, cancellationToken);

    public async Task<VersionMeasurement> MeasureAsync(string version, TimeSpan window, IReadOnlyList<double> percentiles, CancellationToken cancellationToken)
    {
        var measured = await inner.MeasureAsync(version, window, percentiles, cancellationToken);
        if (version != canary.Version) return measured;
        var failed = await FailedAtEdgeAsync(edge, model, canary.Slot, before, cancellationToken);
        // The server's own 5xx pass through the edge and are counted by both: the larger count holds them all.
        return failed <= measured.ServerErrors ? measured : measured with
        {
            ServerErrors = failed,
            Requests = measured.Requests + (failed - measured.ServerErrors),
        };
    }

    public Task<IReadOnlyDictionary<string, double>> PredictedClassesAsync(string version, TimeSpan window, CancellationToken cancellationToken) =>
        inner.PredictedClassesAsync(version, window, cancellationToken);

    /// <summary>The slot's 5xx answers and failed connections now, for a later <see cref="EdgeCheckedMetrics"/> to count from.</summary>
    public static async Task<EdgeServerStats?> SnapshotAsync(HaproxyEdge edge, string model, string slot, CancellationToken cancellationToken) =>
        (await edge.ServerStatsAsync(cancellationToken)).FirstOrDefault(s => s.Model == model && s.Slot == slot);

    private static async Task<long> FailedAtEdgeAsync(HaproxyEdge edge, string model, string slot, EdgeServerStats? before, CancellationToken cancellationToken)
    {
        var now = await SnapshotAsync(edge, model, slot, cancellationToken);
        if (now is null) return 0;
        return Math.Max(0, now.Responses5xx + now.Errors - (before is null ? 0 : before.Responses5xx + before.Errors));
    }
}
