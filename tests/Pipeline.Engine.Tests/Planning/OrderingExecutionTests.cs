namespace Pipeline.Engine.Tests.Planning;

/// <summary>The runner executes targets in the planned order and honours skips and conditions.</summary>
public sealed class OrderingExecutionTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Targets_run_in_plan_order_with_case_insensitive_names()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new OrderBuild(log), _root, "pack", "lint", "CLEAN");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Clean", "Restore", "Compile", "Lint", "Test", "Report", "Pack"], log.Events);
        Assert.All(run.Summary.Results, r => Assert.Equal(TargetStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task Bare_skip_runs_only_the_invoked_targets()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new OrderBuild(log), _root, "Pack", "--skip");

        Assert.Equal(["Pack"], log.Events);
        Assert.Equal(TargetStatus.Skipped, run.StatusOf("Compile"));
        Assert.Contains("Compile: Skipped (not invoked, and --skip given)", run.Output);
    }

    [Fact]
    public async Task Named_skip_skips_only_those()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new OrderBuild(log), _root, "Pack", "--skip", "Compile", "Restore");

        Assert.Equal(["Test", "Report", "Pack"], log.Events);
        Assert.Equal(0, run.ExitCode);
    }

    private sealed class DynamicBuild(EventLog log, bool createFlag) : BuildDefinition
    {
        public override Target? DefaultTarget => Publish;

        Target Prepare => _ => _.Executes(() =>
        {
            log.Add(nameof(Prepare));
            if (createFlag)
            {
                File.WriteAllText(RootDirectory / "ready.flag", "");
            }
        });

        Target Publish => _ => _
            .DependsOn(Prepare)
            .OnlyWhenDynamic(() => File.Exists(RootDirectory / "ready.flag"))
            .Executes(() => log.Add(nameof(Publish)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Dynamic_conditions_are_evaluated_after_dependencies_ran(bool createFlag)
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new DynamicBuild(log, createFlag), _root);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(createFlag ? ["Prepare", "Publish"] : ["Prepare"], log.Events);
        var publish = run.Summary["Publish"];
        Assert.Equal(createFlag ? TargetStatus.Succeeded : TargetStatus.Skipped, publish.Status);
        if (!createFlag)
        {
            Assert.Equal("condition false: File.Exists(RootDirectory / \"ready.flag\")", publish.Reason);
        }
    }

    [Fact]
    public async Task Default_target_runs_when_none_is_named()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new DynamicBuild(log, createFlag: true), _root);

        Assert.Equal(["Publish"], run.Result.Plan!.Invoked);
    }
}
