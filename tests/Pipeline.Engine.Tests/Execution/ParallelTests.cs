namespace Pipeline.Engine.Tests.Execution;

public sealed class ParallelTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>
    /// Alpha and Beta each finish only after seeing the other start: they can only both succeed if they overlap. Each
    /// writes one log line in pieces, split across the moment the other target writes.
    /// </summary>
    private sealed class OverlapBuild(EventLog log) : BuildDefinition
    {
        private readonly TaskCompletionSource _alphaStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _betaWrote = new(TaskCreationOptions.RunContinuationsAsynchronously);

        Target Setup => _ => _.Executes(() => log.Add("Setup"));

        Target Alpha => _ => _.DependsOn(Setup).Executes(async (context, cancellationToken) =>
        {
            log.Add("Alpha:start");
            context.Log.Write("alpha-one");
            _alphaStarted.SetResult();
            await _betaWrote.Task.WaitAsync(Timeout, cancellationToken);
            context.Log.Write("-two");
            context.Log.WriteLine();
            Console.WriteLine("alpha via Console");
            log.Add("Alpha:end");
        });

        Target Beta => _ => _.DependsOn(Setup).Executes(async (context, cancellationToken) =>
        {
            log.Add("Beta:start");
            await _alphaStarted.Task.WaitAsync(Timeout, cancellationToken);
            context.Log.Write("beta-one");
            _betaWrote.SetResult();
            context.Log.WriteLine("-two");
            log.Add("Beta:end");
        });

        Target Report => _ => _.DependsOn(Alpha, Beta).Executes(() => log.Add("Report"));
    }

    [Fact]
    public async Task Independent_targets_overlap_and_ordering_constraints_still_hold()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new OverlapBuild(log), _root, "Report", "--parallel", "4");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Setup", log.Events[0]);
        Assert.True(log.IndexOf("Alpha:start") < log.IndexOf("Beta:end") && log.IndexOf("Beta:start") < log.IndexOf("Alpha:end"));
        Assert.Equal("Report", log.Events[^1]);
    }

    [Fact]
    public async Task Parallel_output_is_whole_prefixed_lines_even_from_Console()
    {
        var run = await BuildHarness.RunAsync(new OverlapBuild(new EventLog()), _root, "Report", "--parallel", "4");

        Assert.Contains("[Alpha] alpha-one-two", run.Lines);
        Assert.Contains("[Beta] beta-one-two", run.Lines);
        Assert.Contains("[Alpha] alpha via Console", run.Lines);
        Assert.DoesNotContain(run.Lines, line => line.Contains("alpha-onebeta") || line.Contains("beta-onealpha"));
    }

    private sealed class ConcurrencyBuild(int delayMilliseconds) : BuildDefinition
    {
        private int _running;

        public int MaxConcurrency { get; private set; }

        Target A => _ => _.Executes(WorkAsync);
        Target B => _ => _.Executes(WorkAsync);
        Target C => _ => _.Executes(WorkAsync);
        Target All => _ => _.DependsOn(A, B, C);

        private async Task WorkAsync(CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _running);
            lock (this)
            {
                MaxConcurrency = Math.Max(MaxConcurrency, now);
            }

            await Task.Delay(delayMilliseconds, cancellationToken);
            Interlocked.Decrement(ref _running);
        }
    }

    [Fact]
    public async Task Without_parallel_targets_never_overlap()
    {
        var build = new ConcurrencyBuild(delayMilliseconds: 20);

        var run = await BuildHarness.RunAsync(build, _root, "All");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, build.MaxConcurrency);
    }

    [Fact]
    public async Task Parallelism_is_bounded_by_the_given_degree()
    {
        var build = new ConcurrencyBuild(delayMilliseconds: 50);

        var run = await BuildHarness.RunAsync(build, _root, "All", "--parallel", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, build.MaxConcurrency);
    }
}
