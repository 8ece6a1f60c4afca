using System.Text.Json;

namespace Pipeline.Engine.Tests.Incremental;

public sealed class IncrementalTests : IDisposable
{
    private readonly TestRoot _root = new();
    private readonly EventLog _log = new();

    public IncrementalTests()
    {
        _root.WriteFile("src/a.txt", "alpha");
        _root.WriteFile("src/nested/b.txt", "beta");
    }

    public void Dispose() => _root.Dispose();

    private Task<BuildRun> RunAsync(params string[] args) => BuildHarness.RunAsync(new IncrementalBuild(_log), _root, args);

    private async Task<TargetResult> GenerateAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Summary["Generate"];
    }

    [Fact]
    public async Task First_run_executes_and_records_a_fingerprint_without_secrets()
    {
        var result = await GenerateAsync();

        Assert.Equal((TargetStatus.Succeeded, "no previous run"), (result.Status, result.Reason));
        var record = _root.ReadFile(".nuke/temp/fingerprints/Generate.json");
        using var json = JsonDocument.Parse(record);
        Assert.Equal(64, json.RootElement.GetProperty("Fingerprint").GetString()!.Length);
        Assert.True(json.RootElement.GetProperty("Inputs").TryGetProperty("src/nested/b.txt", out _));
        Assert.True(json.RootElement.GetProperty("Outputs").TryGetProperty("out/result.txt", out _));
        Assert.Equal("1", json.RootElement.GetProperty("Parameters").GetProperty("Seed").GetString());
        Assert.StartsWith("sha256:", json.RootElement.GetProperty("Parameters").GetProperty("Token").GetString());
        Assert.DoesNotContain("t0ken-value-1", record);
        Assert.Empty(Directory.GetFiles(_root.PathOf(".nuke/temp/fingerprints"), "*.tmp"));
    }

    [Fact]
    public async Task Second_run_is_up_to_date_and_does_not_execute()
    {
        await GenerateAsync();

        var run = await RunAsync();

        Assert.Equal((TargetStatus.UpToDate, "inputs and outputs unchanged"), (run.Summary["Generate"].Status, run.Summary["Generate"].Reason));
        Assert.Equal(1, _log.Count("Generate"));
        Assert.Contains("Generate: UpToDate (inputs and outputs unchanged)", run.Output);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task A_target_is_told_whether_the_run_was_forced_so_it_can_redo_work_it_would_reuse()
    {
        var first = await RunAsync();
        var forced = await RunAsync("--force");

        Assert.Contains("forced: False", first.Output);
        Assert.DoesNotContain("forced: True", first.Output);
        Assert.Contains("forced: True", forced.Output);
    }

    public static TheoryData<string, string[], string> Changes => new()
    {
        { "edit-input", [], "input src/a.txt changed" },
        { "add-input", [], "input src/c.txt added" },
        { "remove-input", [], "input src/nested/b.txt removed" },
        { "parameter", ["--seed", "2"], "parameter Seed changed" },
        { "secret", ["--token", "other-token"], "parameter Token changed" },
        { "delete-output", [], "output out/result.txt missing" },
        { "edit-output", [], "output out/result.txt changed" },
        { "delete-record", [], "no previous run" },
        { "force", ["--force"], "forced by --force" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_change_reruns_the_target_and_says_why(string change, string[] args, string reason)
    {
        await GenerateAsync();
        switch (change)
        {
            case "edit-input": _root.WriteFile("src/a.txt", "ALPHA"); break;
            case "add-input": _root.WriteFile("src/c.txt", "gamma"); break;
            case "remove-input": File.Delete(_root.PathOf("src/nested/b.txt")); break;
            case "delete-output": File.Delete(_root.PathOf("out/result.txt")); break;
            case "edit-output": _root.WriteFile("out/result.txt", "tampered"); break;
            case "delete-record": File.Delete(_root.PathOf(".nuke/temp/fingerprints/Generate.json")); break;
        }

        var result = await GenerateAsync(args);

        Assert.Equal((TargetStatus.Succeeded, reason), (result.Status, result.Reason));
        Assert.Equal(2, _log.Count("Generate"));
        var third = await GenerateAsync(args);
        Assert.Equal(change == "force" ? TargetStatus.Succeeded : TargetStatus.UpToDate, third.Status);
    }

    [Fact]
    public async Task Files_matched_by_an_exclusion_pattern_are_not_inputs()
    {
        _root.WriteFile("src/generated/g.txt", "generated once");
        await GenerateAsync();

        _root.WriteFile("src/generated/g.txt", "generated again, differently");
        var run = await RunAsync();

        Assert.Equal(TargetStatus.UpToDate, run.Summary["Generate"].Status);
        var record = _root.ReadFile(".nuke/temp/fingerprints/Generate.json");
        Assert.DoesNotContain("generated/g.txt", record);
        Assert.Contains("src/nested/b.txt", record);
    }

    [Fact]
    public async Task The_body_sees_why_it_runs()
    {
        await GenerateAsync();
        _root.WriteFile("src/a.txt", "changed");

        var run = await RunAsync();

        Assert.Contains("Running because input src/a.txt changed.", run.Output);
        Assert.Contains("run reason: input src/a.txt changed", run.Output);
    }

    [Fact]
    public async Task Several_changes_name_the_first_and_count_the_rest()
    {
        await GenerateAsync();
        _root.WriteFile("src/a.txt", "changed");
        File.Delete(_root.PathOf("out/result.txt"));

        var result = await GenerateAsync("--seed", "9");

        Assert.Equal("parameter Seed changed (and 2 more)", result.Reason);
    }

    [Fact]
    public async Task A_failed_run_forgets_the_record_so_the_next_run_is_not_up_to_date()
    {
        await GenerateAsync();

        var failed = await RunAsync("--fail", "--force");
        var next = await RunAsync("--fail", "false");

        Assert.Equal(ExitCodes.BuildFailed, failed.ExitCode);
        Assert.Equal(TargetStatus.Failed, failed.StatusOf("Generate"));
        Assert.Equal((TargetStatus.Succeeded, "no previous run"), (next.Summary["Generate"].Status, next.Summary["Generate"].Reason));
    }

    [Fact]
    public async Task A_declared_output_that_was_not_produced_fails_the_target()
    {
        var run = await RunAsync("--skip-writing");

        Assert.Equal(ExitCodes.BuildFailed, run.ExitCode);
        Assert.Equal(
            "Target Generate finished but did not produce its declared output(s): out/result.txt. Fix the target or its .Outputs(...).",
            run.Summary["Generate"].ErrorSummary);
        Assert.False(File.Exists(_root.PathOf(".nuke/temp/fingerprints/Generate.json")));
    }

    [Fact]
    public async Task An_output_glob_that_matches_nothing_counts_as_missing()
    {
        var first = await RunAsync("Binaries");
        File.Delete(_root.PathOf("bin/a.bin"));

        var second = await RunAsync("Binaries");

        Assert.Equal(TargetStatus.Succeeded, first.StatusOf("Binaries"));
        Assert.Equal("output bin/*.bin missing (and 1 more)", second.Summary["Binaries"].Reason);
        Assert.Equal(2, _log.Count("Binaries"));
    }

    [Fact]
    public async Task Plan_checks_freshness_without_running_anything()
    {
        var before = await RunAsync("--plan");
        await GenerateAsync();
        var after = await RunAsync("--plan");
        _root.WriteFile("src/a.txt", "changed");
        var changed = await RunAsync("--plan");

        Assert.Equal(1, _log.Count("Generate"));
        Assert.Matches(@"Generate \(invoked\)\s*│\s*Run\s*│\s*no previous run", before.Output);
        Assert.Matches(@"Generate \(invoked\)\s*│\s*UpToDate\s*│\s*inputs and outputs unchanged", after.Output);
        Assert.Matches(@"Generate \(invoked\)\s*│\s*Run\s*│\s*input src/a.txt changed", changed.Output);
    }
}
