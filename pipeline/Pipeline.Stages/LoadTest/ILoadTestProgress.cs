namespace Pipeline.Stages;

/// <summary>Where a running load test reports itself about once a second (a live display, or plain log lines).</summary>
public interface ILoadTestProgress
{
    void Report(LoadTestProgressSample sample);
}

/// <summary>The run so far: time into the schedule (warm-up included) and requests completed, failed and in flight.</summary>
public sealed record LoadTestProgressSample(TimeSpan Elapsed, TimeSpan Total, bool WarmingUp, long Completed, long Errors, long InFlight);
