using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.LoadTesting.Scheduling;

namespace Pipeline.LoadTesting.Baselines;

/// <summary>A candidate and its baseline measured in one run, and how busy the machine was meanwhile.</summary>
public sealed record SideBySideResult(LoadTestResult Candidate, LoadTestResult Baseline, MachineLoad Machine);

/// <summary>
/// Loads a candidate and a baseline at the same time with identical open-model schedules, each from its own
/// generator, so whatever else the machine is doing (a noisy CI neighbour, CPU steal) falls on both alike and
/// their ratio stays put where absolute percentiles would swing. Both share the machine symmetrically: neither
/// is measured while the other idles.
/// </summary>
public sealed class SideBySideRunner(TimeProvider time)
{
    public async Task<SideBySideResult> RunAsync(LoadScenario candidate, LoadScenario baseline, OpenModelOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        var monitor = MachineLoadMonitor.Start();
        var candidateRun = new OpenModelRunner(time).RunAsync(candidate, options, cancellationToken);
        var baselineRun = new OpenModelRunner(time).RunAsync(baseline, options, cancellationToken);
        await Task.WhenAll(candidateRun, baselineRun).ConfigureAwait(false);
        return new SideBySideResult(await candidateRun.ConfigureAwait(false), await baselineRun.ConfigureAwait(false), monitor.Stop());
    }
}
