using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;

namespace Pipeline.LoadTesting.Scheduling;

/// <summary>
/// Open-model load: requests leave on the arrival schedule whether or not earlier ones returned, and latency is
/// measured from each request's SCHEDULED send time, so a stalled server (or a late generator) shows in the
/// percentiles instead of silently slowing the load (no coordinated omission). A due request that would exceed
/// MaxConcurrency is counted as dropped, never delayed.
/// </summary>
public sealed class OpenModelRunner(TimeProvider time)
{
    public async Task<LoadTestResult> RunAsync(LoadScenario scenario, OpenModelOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        using var run = new LoadRun(time, cancellationToken);
        // The schedule runs on a thread of its own with blocking sleeps: Task.Delay wakes on a ~1 ms timer tick and then
        // waits for a pool thread, and since latency counts from the scheduled time, that lateness would be reported as
        // server latency (~1.5 ms at p50 on a busy 2-core machine). A blocking sleep wakes within tens of microseconds.
        var lastOffset = await Task.Factory.StartNew(() => Schedule(scenario, options, run, cancellationToken),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);

        var scheduleEnd = cancellationToken.IsCancellationRequested || options.MaxRequests is not null ? run.Elapsed : options.Rate.Duration;
        await run.CloseAsync(scheduleEnd + options.DrainTimeout).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var windowEnd = scheduleEnd < options.Rate.Duration ? scheduleEnd : options.Rate.Duration;
        var measured = (windowEnd > lastOffset ? windowEnd : lastOffset) - options.Warmup;
        return run.Recorder.ToResult(LoadModel.Open, measured);
    }

    private static TimeSpan Schedule(LoadScenario scenario, OpenModelOptions options, LoadRun run, CancellationToken cancellationToken)
    {
        long counted = 0;
        var lastOffset = TimeSpan.Zero;
        for (long index = 0; !cancellationToken.IsCancellationRequested; index++)
        {
            if (options.Rate.OffsetOf(index) is not { } offset) break;
            if (options.MaxRequests is { } max && counted >= max) break;
            lastOffset = offset;
            // Sleeps are whole milliseconds; a request less than one early is sent at once and its latency is then
            // counted from the actual send (see InFlightRequests), so being early never flatters the server.
            var wait = offset - run.Elapsed;
            if (wait >= TimeSpan.FromMilliseconds(1) && cancellationToken.WaitHandle.WaitOne(wait)) break;

            var second = LoadRun.MeasuredSecond(offset, options.Warmup);
            if (second is not null) counted++;
            if (run.InFlight.Count >= options.MaxConcurrency)
            {
                if (second is { } s) run.Recorder.RecordDropped(s);
                continue;
            }
            _ = run.InFlight.RunAsync(scenario, run.At(offset), second);
        }
        return lastOffset;
    }
}
