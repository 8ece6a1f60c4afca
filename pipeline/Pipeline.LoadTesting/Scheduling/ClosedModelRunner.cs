using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;

namespace Pipeline.LoadTesting.Scheduling;

/// <summary>
/// Closed-model load: N virtual users, each sending its next request only after the previous one returned (plus
/// think time). Latency is from the actual send. It under-reports stalls: while the server hangs the users wait
/// instead of sending, so few slow samples are taken — use the open model for latency SLOs.
/// </summary>
public sealed class ClosedModelRunner(TimeProvider time)
{
    public async Task<LoadTestResult> RunAsync(LoadScenario scenario, ClosedModelOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        using var run = new LoadRun(time, cancellationToken);
        var counted = 0L;

        async Task VirtualUserAsync()
        {
            while (!run.StopToken.IsCancellationRequested)
            {
                var offset = run.Elapsed;
                if (offset >= options.TotalDuration) return;
                var second = LoadRun.MeasuredSecond(offset, options.Warmup);
                if (second is not null && options.MaxRequests is { } max && Interlocked.Increment(ref counted) > max) return;
                await run.InFlight.RunAsync(scenario, time.GetTimestamp(), second).ConfigureAwait(false);
                if (options.ThinkTime > TimeSpan.Zero)
                {
                    try { await Task.Delay(options.ThinkTime, time, run.StopToken).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return; }
                }
            }
        }

        // Users run on the thread pool so a scenario that blocks synchronously cannot stall the others.
        var users = Enumerable.Range(0, options.VirtualUsers).Select(_ => Task.Run(VirtualUserAsync, CancellationToken.None)).ToArray();
        var deadline = options.TotalDuration + options.DrainTimeout;
        var remaining = deadline - run.Elapsed;
        try { await Task.WhenAll(users).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException) { }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        await run.CloseAsync(deadline).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var elapsed = run.Elapsed;
        return run.Recorder.ToResult(LoadModel.Closed, (elapsed < options.TotalDuration ? elapsed : options.TotalDuration) - options.Warmup);
    }
}
