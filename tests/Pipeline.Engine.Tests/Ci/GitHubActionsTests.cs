namespace Pipeline.Engine.Tests.Ci;

public sealed class GitHubActionsTests : IDisposable
{
    private const string Secret = "gh-secret-value";
    private readonly TestRoot _root = new();
    private readonly string _summaryFile;
    private readonly Dictionary<string, string> _actions;

    public GitHubActionsTests()
    {
        _summaryFile = _root.PathOf("step-summary.md");
        _actions = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = _summaryFile,
            ["API_TOKEN"] = Secret,
        };
    }

    public void Dispose() => _root.Dispose();

    private sealed class CiBuild : BuildDefinition
    {
        [Parameter, Secret] readonly string? ApiToken;

        Target Compile => _ => _.Executes((context, _) =>
        {
            context.Log.WriteLine("compiling");
            context.AppendStepSummary($"## Model card\naccuracy: 0.91, token {ApiToken}");
        });

        Target Test => _ => _.DependsOn(Compile).Executes(() => throw new InvalidOperationException("accuracy 0.42 below gate 0.85\ndetails: confusion matrix"));

        Target Lint => _ => _.Executes((context, _) => context.Log.WriteLine("linting"));
    }

    [Fact]
    public async Task Each_target_log_is_a_group_and_a_failure_is_an_error_annotation()
    {
        var run = await BuildHarness.RunAsync(new CiBuild(), _root, _actions, "Test");

        Assert.Equal(ExitCodes.BuildFailed, run.ExitCode);
        var lines = run.Lines;
        var compile = Array.IndexOf(lines, "::group::Compile");
        Assert.True(compile >= 0, run.Output);
        Assert.Equal("compiling", lines[compile + 1]);
        Assert.Equal("::endgroup::", lines[compile + 2]);
        Assert.Contains("::group::Test", lines);
        Assert.Contains("::error title=Test failed::accuracy 0.42 below gate 0.85%0Adetails: confusion matrix", lines);
    }

    [Fact]
    public async Task The_summary_table_and_target_markdown_go_to_the_step_summary_with_secrets_masked()
    {
        var run = await BuildHarness.RunAsync(new CiBuild(), _root, _actions, "Test");

        var summary = File.ReadAllText(_summaryFile);
        Assert.Contains("## Model card\naccuracy: 0.91, token *****", summary);
        Assert.Contains("| Target | Status | Duration | Details |", summary);
        Assert.Contains("| Compile | ✅ Succeeded |", summary);
        Assert.Contains("| Test | ❌ Failed |", summary);
        Assert.Contains("| accuracy 0.42 below gate 0.85 |", summary);
        Assert.Contains("| **Total** | **Build failed** |", summary);
        Assert.DoesNotContain(Secret, summary);
        Assert.DoesNotContain(Secret, run.Output);
    }

    [Fact]
    public async Task Parallel_runs_print_each_target_as_one_contiguous_group()
    {
        var run = await BuildHarness.RunAsync(new CiBuild(), _root, _actions, "Compile", "Lint", "--parallel", "2");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Lines;
        foreach (var (target, line) in new[] { ("Compile", "compiling"), ("Lint", "linting") })
        {
            var start = Array.IndexOf(lines, $"::group::{target}");
            Assert.True(start >= 0, run.Output);
            Assert.Equal(line, lines[start + 1]);
            Assert.Equal("::endgroup::", lines[start + (target == "Compile" ? 2 : 2)]);
        }
    }

    [Fact]
    public async Task Configuration_errors_become_error_annotations()
    {
        var run = await BuildHarness.RunAsync(new CiBuild(), _root, _actions, "Tset");

        Assert.Contains("::error title=Build error::Unknown target 'Tset'. Did you mean 'Test'?", run.Lines);
    }

    [Fact]
    public async Task Outside_GitHub_Actions_the_step_summary_is_skipped_quietly()
    {
        var run = await BuildHarness.RunAsync(new CiBuild(), _root, "Compile");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("Step summary", run.Output);
        Assert.DoesNotContain("::group::", run.Output);
        Assert.False(File.Exists(_summaryFile));
    }

    [Theory]
    [InlineData("50% done\r\nnext", "50%25 done%0D%0Anext")]
    public void Workflow_command_data_is_escaped(string raw, string escaped)
    {
        Assert.Equal(escaped, GitHubActions.EscapeData(raw));
        Assert.Equal("a%3Ab%2Cc", GitHubActions.EscapeProperty("a:b,c"));
    }
}
