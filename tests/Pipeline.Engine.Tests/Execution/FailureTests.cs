namespace Pipeline.Engine.Tests.Execution;

public sealed class FailureTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private sealed class FailureBuild(EventLog log, bool proceed) : BuildDefinition
    {
        Target Compile => _ => _.Executes(() => log.Add(nameof(Compile)));

        Target Test => _ => _
            .DependsOn(Compile)
            .Executes(() =>
            {
                log.Add(nameof(Test));
                if (proceed)
                {
                    throw new InvalidOperationException("3 tests failed\nsee TestResults/report.trx");
                }

                throw new InvalidOperationException("3 tests failed\nsee TestResults/report.trx", new IOException("disk full"));
            });

        Target Publish => _ => _.DependsOn(Test).Executes(() => log.Add(nameof(Publish)));
        Target Deploy => _ => _.DependsOn(Publish).Executes(() => log.Add(nameof(Deploy)));
        Target Docs => _ => _.After(Test).Executes(() => log.Add(nameof(Docs)));
        Target Cleanup => _ => _.After(Deploy, Docs).AssuredAfterFailure().Executes(() => log.Add(nameof(Cleanup)));
    }

    private sealed class ProceedingBuild(EventLog log) : BuildDefinition
    {
        Target Lint => _ => _.ProceedAfterFailure().Executes(() => throw new InvalidOperationException("style violations"));
        Target Compile => _ => _.Executes(() => log.Add(nameof(Compile)));
        Target Analyze => _ => _.DependsOn(Lint).Executes(() => log.Add(nameof(Analyze)));
        Target All => _ => _.DependsOn(Lint, Compile, Analyze).Executes(() => log.Add(nameof(All)));
    }

    [Fact]
    public async Task A_failure_stops_the_build_marks_dependents_NotRun_and_still_runs_assured_targets()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new FailureBuild(log, proceed: false), _root, "Deploy", "Docs", "Cleanup");

        Assert.Equal(ExitCodes.BuildFailed, run.ExitCode);
        Assert.Equal(["Compile", "Test", "Cleanup"], log.Events);
        Assert.Equal(TargetStatus.Failed, run.StatusOf("Test"));
        Assert.Equal((TargetStatus.NotRun, "dependency Test failed"), (run.Summary["Publish"].Status, run.Summary["Publish"].Reason));
        Assert.Equal("dependency Publish did not run", run.Summary["Deploy"].Reason);
        Assert.Equal("build stopped after Test failed", run.Summary["Docs"].Reason);
        Assert.Equal(TargetStatus.Succeeded, run.StatusOf("Cleanup"));
        Assert.False(run.Summary.Succeeded);
    }

    [Fact]
    public async Task The_summary_shows_the_first_error_line_and_the_log_shows_the_whole_exception()
    {
        var run = await BuildHarness.RunAsync(new FailureBuild(new EventLog(), proceed: false), _root, "Deploy");

        Assert.Equal("3 tests failed", run.Summary["Test"].ErrorSummary);
        var summaryRow = run.Lines.Single(line => line.StartsWith("│ Test ", StringComparison.Ordinal));
        Assert.Contains("Failed", summaryRow);
        Assert.Contains("3 tests failed", summaryRow);
        Assert.DoesNotContain("report.trx", summaryRow);
        Assert.Contains("System.InvalidOperationException: 3 tests failed\nsee TestResults/report.trx\n ---> System.IO.IOException: disk full", run.Output);
        Assert.Contains("Total", run.Output);
        Assert.Contains("Build failed", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public async Task Verbose_runs_show_stack_traces()
    {
        var run = await BuildHarness.RunAsync(new FailureBuild(new EventLog(), proceed: false), _root, "Test", "--verbosity", "verbose");

        Assert.Contains("   at ", run.Output);
        Assert.Contains("Execution plan", run.Output);
        Assert.Contains("Root directory: ", run.Output);
    }

    [Fact]
    public async Task ProceedAfterFailure_lets_independent_targets_run_but_the_build_still_fails()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new ProceedingBuild(log), _root, "All");

        Assert.Equal(ExitCodes.BuildFailed, run.ExitCode);
        Assert.Equal(["Compile"], log.Events);
        Assert.Equal(TargetStatus.Failed, run.StatusOf("Lint"));
        Assert.Equal("dependency Lint failed", run.Summary["Analyze"].Reason);
        Assert.Equal("dependency Lint failed", run.Summary["All"].Reason);
    }

    [Fact]
    public async Task Quiet_runs_print_errors_and_the_summary_but_no_successful_output()
    {
        var run = await BuildHarness.RunAsync(new FailureBuild(new EventLog(), proceed: false), _root, "Test", "--verbosity", "quiet");

        Assert.DoesNotContain("── Compile", run.Output);
        Assert.DoesNotContain("Compile: Succeeded", run.Output);
        Assert.Contains("--- Test failed; last 3 lines of its log ---", run.Output);
        Assert.Contains("System.InvalidOperationException: 3 tests failed", run.Output);
        Assert.Contains("Build summary", run.Output);
    }
}
