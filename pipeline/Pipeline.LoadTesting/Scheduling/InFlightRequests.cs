using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;

namespace Pipeline.LoadTesting.Scheduling;

/// <summary>
/// Runs single requests for one load run and enforces its hard stop: every request gets the run's stop token;
/// at the deadline in-flight requests are cancelled and recorded as "StoppedAtDeadline"; any that ignore
/// cancellation are abandoned (counted as errors) so the run returns on time regardless.
/// </summary>
internal sealed class InFlightRequests(TimeProvider time, LoadRecorder recorder, CancellationToken stopToken)
{
    // After cancelling, requests get this long to observe the token before they are abandoned.
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromMilliseconds(250);

    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;
    private int _closing;
    private int _sealed;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Runs one request; latency is measured from <paramref name="sentAt"/> (the scheduled time in the open model), or
    /// from now when that is still in the future (a request sent a moment early).
    /// </summary>
    public async Task RunAsync(LoadScenario scenario, long sentAt, int? measuredSecond)
    {
        Interlocked.Increment(ref _count);
        sentAt = Math.Min(sentAt, time.GetTimestamp());
        try
        {
            RequestOutcome outcome;
            try
            {
                outcome = await scenario(stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
            {
                outcome = RequestOutcome.Failed(StopErrorKinds.StoppedAtDeadline);
            }
            catch (Exception ex)
            {
                outcome = RequestOutcome.Failed(ex.GetType().Name);
            }
            var latency = time.GetElapsedTime(sentAt);
            if (measuredSecond is { } second && Volatile.Read(ref _sealed) == 0) recorder.Record(second, latency, outcome);
        }
        finally
        {
            if (Interlocked.Decrement(ref _count) == 0 && Volatile.Read(ref _closing) == 1) _drained.TrySetResult();
        }
    }

    /// <summary>
    /// No more requests will start: waits for in-flight ones until <paramref name="deadline"/> (a timestamp), then
    /// cancels via <paramref name="stop"/>, waits briefly, and abandons the rest. Never returns later than deadline + 250 ms.
    /// </summary>
    public async Task CloseAsync(long deadline, CancellationTokenSource stop)
    {
        Volatile.Write(ref _closing, 1);
        if (Count == 0) _drained.TrySetResult();
        var remaining = TimeSpan.FromSeconds((double)(deadline - time.GetTimestamp()) / time.TimestampFrequency);
        if (!await CompletesWithinAsync(remaining).ConfigureAwait(false))
        {
            // Cancellation callbacks (socket teardown) run on the pool, not here: the stop must not wait for them.
            _ = Task.Run(stop.Cancel, CancellationToken.None);
            await CompletesWithinAsync(CancellationGrace).ConfigureAwait(false);
        }
        Volatile.Write(ref _sealed, 1);
        var abandoned = Count;
        if (abandoned > 0) recorder.RecordAbandoned(abandoned, StopErrorKinds.AbandonedAtDeadline);
    }

    private async Task<bool> CompletesWithinAsync(TimeSpan timeout)
    {
        if (_drained.Task.IsCompleted) return true;
        if (timeout <= TimeSpan.Zero) return false;
        try
        {
            await _drained.Task.WaitAsync(timeout, time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
