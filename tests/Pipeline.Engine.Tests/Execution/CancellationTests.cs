namespace Pipeline.Engine.Tests.Execution;

public sealed class CancellationTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private sealed class LongBuild(EventLog log) : BuildDefinition
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        Target Train => _ => _.Executes(async cancellationToken =>
        {
            Started.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });

        Target Export => _ => _.DependsOn(Train).Executes(() => log.Add(nameof(Export)));

        Target Teardown => _ => _
            .After(Export)
            .AssuredAfterFailure()
            .Executes((_, cancellationToken) => log.Add($"Teardown cancelled={cancellationToken.IsCancellationRequested}"));
    }

    [Fact]
    public async Task Cancelling_aborts_running_targets_runs_assured_ones_with_a_fresh_token_and_exits_130()
    {
        var log = new EventLog();
        var build = new LongBuild(log);
        using var cancellation = new CancellationTokenSource();

        var running = BuildHarness.RunAsync(build, _root, new Dictionary<string, string>(), cancellation.Token, "Export", "Teardown");
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var run = await running;

        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        Assert.True(run.Summary.WasCancelled);
        Assert.Equal(TargetStatus.Aborted, run.StatusOf("Train"));
        Assert.Equal((TargetStatus.NotRun, "dependency Train was aborted"), (run.Summary["Export"].Status, run.Summary["Export"].Reason));
        Assert.Equal(TargetStatus.Succeeded, run.StatusOf("Teardown"));
        Assert.Equal(["Teardown cancelled=False"], log.Events);
        Assert.Contains("Build cancelled", run.Output);
    }

    [Fact]
    public async Task Cancelled_before_start_only_assured_targets_run()
    {
        var log = new EventLog();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var run = await BuildHarness.RunAsync(new LongBuild(log), _root, new Dictionary<string, string>(), cancellation.Token, "Export", "Teardown");

        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        Assert.Equal("build cancelled", run.Summary["Train"].Reason);
        Assert.Equal(["Teardown cancelled=False"], log.Events);
    }
}
