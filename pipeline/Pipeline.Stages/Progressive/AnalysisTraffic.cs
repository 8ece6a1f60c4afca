using System.Diagnostics;

namespace Pipeline.Stages;

/// <summary>What the synthetic traffic of a canary or A/B test saw as a client: answers by status, and requests that got none.</summary>
public sealed record AnalysisTrafficResult(long Sent, IReadOnlyDictionary<int, long> ByStatus, long TransportErrors, TimeSpan Duration)
{
    public long Answered2xx => ByStatus.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);

    /// <summary>Requests a client would count as failed: a 5xx, or no answer at all.</summary>
    public long Failed => ByStatus.Where(s => s.Key >= 500).Sum(s => s.Value) + TransportErrors;

    public string Describe() =>
        $"{Sent} requests in {Duration.TotalSeconds:F0} s: " + string.Join(", ", ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Value} × {s.Key}")) +
        (TransportErrors > 0 ? $", {TransportErrors} without an answer" : "");
}

/// <summary>
/// Steady synthetic traffic through the stable endpoint while an analysis runs, as Flagger's load tester sends during a
/// canary: real test-set rows at a fixed rate over keep-alive connections. Without it a canary on an idle endpoint
/// would have no requests to judge and abort as inconclusive; with real users it can be turned off (rate 0).
/// </summary>
public sealed class AnalysisTraffic
{
    private readonly HttpClient _http;
    private readonly InferenceWorkload _workload;
    private readonly double _perSecond;
    private readonly Dictionary<int, long> _byStatus = [];
    // Rows drawn at random (seeded): cycling through them in order beside the edge's strict weighted round robin would
    // send one version the even rows and the other the odd ones, and an A/B report would compare different inputs.
    private readonly Random _rows = new(20261203);
    private long _sent;
    private long _transportErrors;

    public AnalysisTraffic(HttpClient http, InferenceWorkload workload, double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _http = http;
        _workload = workload;
        _perSecond = perSecond;
    }

    /// <summary>Sends until <paramref name="stop"/> fires, then waits for the answers still due and returns what was seen.</summary>
    public async Task<AnalysisTrafficResult> RunAsync(CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>();
        var interval = TimeSpan.FromSeconds(1 / _perSecond);
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            inFlight.Add(SendAsync());
            if (inFlight.Count > 256) inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        lock (_byStatus) return new AnalysisTrafficResult(Interlocked.Read(ref _sent), new Dictionary<int, long>(_byStatus), Interlocked.Read(ref _transportErrors),
            Stopwatch.GetElapsedTime(started));
    }

    private async Task SendAsync()
    {
        Interlocked.Increment(ref _sent);
        int row;
        lock (_rows) row = _rows.Next(_workload.DistinctRequests);
        using var request = _workload.Request(row);
        try
        {
            // Not the caller's token: a request already sent is answered, so the client tally is complete.
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            lock (_byStatus) _byStatus[(int)response.StatusCode] = _byStatus.GetValueOrDefault((int)response.StatusCode) + 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref _transportErrors);
        }
    }

    /// <summary>A client for the stable endpoint: a few keep-alive connections, a bounded wait per request; <paramref name="trust"/> sets up TLS (e.g. the edge's own certificate).</summary>
    public static HttpClient ClientFor(Uri endpoint, Func<SocketsHttpHandler, SocketsHttpHandler>? trust = null) =>
        new((trust ?? (handler => handler))(Pipeline.LoadTesting.Scenarios.HttpScenario.CreateHandler(maxConnections: 16)))
    {
        BaseAddress = endpoint,
        Timeout = TimeSpan.FromSeconds(10),
    };
}
