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
        long counted = 0;
        var lastOffset = TimeSpan.Zero;
        for (long index = 0; !cancellationToken.IsCancellationRequested; index++)
        {
            if (options.Rate.OffsetOf(index) is not { } offset) break;
            if (options.MaxRequests is { } max && counted >= max) break;
            lastOffset = offset;
            var wait = offset - run.Elapsed;
            // Sub-millisecond waits are below timer resolution: sending now keeps the schedule without spinning.
            if (wait >= TimeSpan.FromMilliseconds(1))
            {
                try { await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }

            var second = LoadRun.MeasuredSecond(offset, options.Warmup);
            if (second is not null) counted++;
            if (run.InFlight.Count >= options.MaxConcurrency)
            {
                if (second is { } s) run.Recorder.RecordDropped(s);
                continue;
            }
            _ = run.InFlight.RunAsync(scenario, run.At(offset), second);
        }

        var scheduleEnd = cancellationToken.IsCancellationRequested || options.MaxRequests is not null ? run.Elapsed : options.Rate.Duration;
        await run.CloseAsync(scheduleEnd + options.DrainTimeout).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var windowEnd = scheduleEnd < options.Rate.Duration ? scheduleEnd : options.Rate.Duration;
        var measured = (windowEnd > lastOffset ? windowEnd : lastOffset) - options.Warmup;
        return run.Recorder.ToResult(LoadModel.Open, measured);
    }
}
