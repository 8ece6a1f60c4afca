using System.Text.Json;

namespace Pipeline.Engine.Tests.Cli;

public sealed class HelpAndPlanTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static string Row(BuildRun run, string start) =>
        run.Lines.Single(line => line.StartsWith($"│ {start} ", StringComparison.Ordinal));

    [Fact]
    public async Task Help_lists_targets_with_descriptions_dependencies_and_the_default()
    {
        var run = await BuildHarness.RunAsync(new CliBuild(), _root, "-h");

        Assert.Equal(0, run.ExitCode);
        Assert.Null(run.Result.Summary);
        Assert.Contains("Usage: build [targets...]", run.Output);
        Assert.Contains("Run the tests", Row(run, "Test (default)"));
        Assert.Contains("Compile", Row(run, "Test (default)"));
        Assert.Contains("Restore", Row(run, "Compile"));
        Assert.Contains("--plan-json", run.Output);
    }

    [Fact]
    public async Task Without_a_target_or_default_help_is_printed()
    {
        var run = await BuildHarness.RunAsync(new NoDefaultBuild(), _root);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("The only target", run.Output);
        Assert.Null(run.Result.Plan);
    }

    [Fact]
    public async Task Plan_prints_each_target_with_its_action_and_runs_nothing()
    {
        var run = await BuildHarness.RunAsync(new CliBuild { IsMain = false }, _root, "Deploy", "Smoke", "--plan");

        Assert.Equal(0, run.ExitCode);
        Assert.Null(run.Result.Summary);
        Assert.False(_root.Exists("out/tests.xml"));
        Assert.Matches(@"│ 1\s+│ Restore\s+│ Skipped\s+│ only needed by skipped Deploy", Row(run, "1"));
        Assert.Matches(@"Test\s+│ Skipped\s+│ only needed by skipped Deploy", Row(run, "3"));
        Assert.Matches(@"Deploy \(invoked\)\s+│ Skipped\s+│ condition false: IsMain", Row(run, "4"));
        Assert.Matches(@"Smoke \(invoked\)\s+│ Run\s+│ only if IsMain at run time\s+│ Deploy", Row(run, "5"));
    }

    [Fact]
    public async Task Plan_json_has_a_stable_schema()
    {
        var run = await BuildHarness.RunAsync(new CliBuild { IsMain = true }, _root, "Deploy", "--plan-json", "--seed", "3");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("CliBuild", root.GetProperty("build").GetString());
        Assert.Equal(["Deploy"], root.GetProperty("invoked").EnumerateArray().Select(e => e.GetString()));
        var targets = root.GetProperty("targets").EnumerateArray().ToArray();
        Assert.Equal(["Restore", "Compile", "Test", "Deploy"], targets.Select(t => t.GetProperty("name").GetString()));
        var test = targets[2];
        Assert.Equal("Run the tests", test.GetProperty("description").GetString());
        Assert.Equal(["Compile"], test.GetProperty("dependsOn").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["Compile"], test.GetProperty("predecessors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Run", test.GetProperty("action").GetString());
        Assert.Equal("no previous run", test.GetProperty("reason").GetString());
        Assert.True(test.GetProperty("incremental").GetBoolean());
        Assert.False(test.GetProperty("invoked").GetBoolean());
        Assert.Equal("Compile", test.GetProperty("consumes")[0].GetProperty("target").GetString());
        Assert.Equal(["bin/**"], targets[1].GetProperty("produces").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, targets[0].GetProperty("reason").ValueKind);
        var parameters = root.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal("3", parameters["Seed"].GetProperty("value").GetString());
        Assert.Equal("CommandLine", parameters["Seed"].GetProperty("source").GetString());
        Assert.Equal("--seed", parameters["Seed"].GetProperty("option").GetString());
        Assert.Equal("SEED", parameters["Seed"].GetProperty("environmentVariable").GetString());
        Assert.Equal(["p95<100"], parameters["LoadThresholds"].GetProperty("value").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, parameters["RegistryPassword"].GetProperty("value").ValueKind);
    }

    [Fact]
    public async Task Plan_json_reports_up_to_date_targets_after_a_run()
    {
        await BuildHarness.RunAsync(new CliBuild(), _root, "Test");

        var run = await BuildHarness.RunAsync(new CliBuild(), _root, "Test", "--plan-json");

        using var json = JsonDocument.Parse(run.Output);
        var test = json.RootElement.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Test");
        Assert.Equal("UpToDate", test.GetProperty("action").GetString());
    }

    [Fact]
    public async Task Sequential_output_has_a_header_per_target_and_a_summary()
    {
        var run = await BuildHarness.RunAsync(new CliBuild(), _root, "Test");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Lines, line => line.StartsWith("── Restore ─", StringComparison.Ordinal));
        Assert.Contains(run.Lines, line => line.StartsWith("Compile: Succeeded in ", StringComparison.Ordinal));
        Assert.Matches(@"│ Test\s+│ Succeeded\s+│\s+[\d.]+s │ no previous run", Row(run, "Test"));
        Assert.Contains("Build succeeded", run.Output);
    }
}
