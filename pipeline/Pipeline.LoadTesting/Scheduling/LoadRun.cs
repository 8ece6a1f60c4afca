using Pipeline.LoadTesting.Results;

namespace Pipeline.LoadTesting.Scheduling;

/// <summary>The state one run of either model shares: its clock origin, recorder, stop token and in-flight requests.</summary>
internal sealed class LoadRun : IDisposable
{
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;

    public LoadRun(TimeProvider time, CancellationToken cancellationToken)
    {
        _time = time;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Recorder = new LoadRecorder();
        InFlight = new InFlightRequests(time, Recorder, _stop.Token);
        Start = time.GetTimestamp();
    }

    public long Start { get; }
    public LoadRecorder Recorder { get; }
    public InFlightRequests InFlight { get; }
    public CancellationToken StopToken => _stop.Token;
    public TimeSpan Elapsed => _time.GetElapsedTime(Start);

    /// <summary>The timestamp <paramref name="offset"/> after the run's start.</summary>
    public long At(TimeSpan offset) => Start + (long)(offset.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Second of the measured window an offset falls in, or null during warm-up.</summary>
    public static int? MeasuredSecond(TimeSpan offset, TimeSpan warmup) => offset >= warmup ? (int)(offset - warmup).TotalSeconds : null;

    /// <summary>Lets in-flight requests finish until <paramref name="deadlineOffset"/>, then stops them (see <see cref="InFlightRequests"/>).</summary>
    public Task CloseAsync(TimeSpan deadlineOffset) => InFlight.CloseAsync(At(deadlineOffset), _stop);

    public void Dispose() => _stop.Dispose();
}
