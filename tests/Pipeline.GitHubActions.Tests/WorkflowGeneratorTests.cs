using Pipeline.GitHubActions.Generation;
using Pipeline.GitHubActions.Model;
using TestSupport;
using YamlDotNet.RepresentationModel;

namespace Pipeline.GitHubActions.Tests;

/// <summary>The generated workflow, read back as YAML the way GitHub reads it.</summary>
public sealed class WorkflowGeneratorTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Yaml(PipelineWorkflow workflow) =>
        WorkflowSerializer.ToYaml(WorkflowGenerator.Generate(SampleBuild.Graph(_root.Path), workflow), ["generated"]);

    private YamlMappingNode Jobs(PipelineWorkflow workflow)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Yaml(workflow)));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["jobs"];
    }

    private static YamlMappingNode Job(YamlMappingNode jobs, string id) => (YamlMappingNode)jobs[id];

    private static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode job) => ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>().ToArray();

    private static string Text(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    private static YamlMappingNode BuildStep(YamlMappingNode job) => Steps(job).Single(s => s.Children.ContainsKey("run") && Text(s, "run").StartsWith("./build.sh", StringComparison.Ordinal));

    [Fact]
    public void Each_job_runs_the_build_script_with_its_targets_and_skips()
    {
        var jobs = Jobs(Sample.Pipeline());

        Assert.Equal("./build.sh Test", Text(BuildStep(Job(jobs, "test")), "run"));
        Assert.Equal("./build.sh Load --skip Train Export Gate", Text(BuildStep(Job(jobs, "image")), "run"));
        Assert.Equal("./build.sh Ship --skip Train Export Gate Image Load --environment kubernetes", Text(BuildStep(Job(jobs, "ship")), "run"));
    }

    [Fact]
    public void Needs_and_if_conditions_are_written_on_the_jobs()
    {
        var jobs = Jobs(Sample.Pipeline());

        Assert.False(Job(jobs, "model").Children.ContainsKey("needs"));
        Assert.Equal(["test", "image"], ((YamlSequenceNode)Job(jobs, "ship")["needs"]).Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal("github.event_name != 'pull_request'", Text(Job(jobs, "ship"), "if"));
        Assert.Equal("production", Text(Job(jobs, "ship"), "environment"));
        Assert.False(Job(jobs, "image").Children.ContainsKey("if"));
    }

    [Fact]
    public void Upload_and_download_of_an_artifact_agree_on_name_files_and_place()
    {
        var jobs = Jobs(Sample.Pipeline());

        var upload = Steps(Job(jobs, "model")).Single(s => s.Children.ContainsKey("uses") && Text(s, "uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal));
        var with = (YamlMappingNode)upload["with"];
        Assert.Equal("model", Text(with, "name"));
        Assert.Equal("out/gates/**\nout/model/model.onnx\nout/train/**\n", Text(with, "path"));
        Assert.Equal("error", Text(with, "if-no-files-found"));
        var download = Steps(Job(jobs, "image")).Single(s => s.Children.ContainsKey("uses") && Text(s, "uses").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Assert.Equal("model", Text(download["with"], "name"));
        Assert.Equal("out", Text(download["with"], "path"));
        var imageDownload = Steps(Job(jobs, "ship")).First(s => s.Children.ContainsKey("uses") && Text(s, "uses").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Assert.Equal("out/image", Text(imageDownload["with"], "path"));
        Assert.DoesNotContain(Steps(Job(jobs, "test")), s => s.Children.ContainsKey("uses") && Text(s, "uses").Contains("artifact", StringComparison.Ordinal));
    }

    [Fact]
    public void Downloads_come_before_the_build_and_uploads_after_it()
    {
        var steps = Steps(Job(Jobs(Sample.Pipeline()), "image")).Select(s => s.Children.ContainsKey("uses") ? Text(s, "uses") : Text(s, "run")).ToList();

        var build = steps.FindIndex(s => s.StartsWith("./build.sh", StringComparison.Ordinal));
        Assert.True(steps.FindIndex(s => s.StartsWith("actions/download-artifact", StringComparison.Ordinal)) < build);
        Assert.True(steps.FindIndex(s => s.StartsWith("actions/upload-artifact", StringComparison.Ordinal)) > build);
    }

    [Fact]
    public void Secrets_reach_secret_parameters_through_the_environment_and_never_the_script()
    {
        var yaml = Yaml(Sample.Pipeline());
        var ship = Job(Jobs(Sample.Pipeline()), "ship");

        var env = (YamlMappingNode)BuildStep(ship)["env"];
        Assert.Equal("${{ secrets.REGISTRY_PASSWORD }}", Text(env, "PASSWORD"));
        Assert.Equal("${{ runner.temp }}/kubeconfig", Text(env, "KUBECONFIG"));
        var writeFile = Steps(ship).Single(s => s.Children.ContainsKey("run") && Text(s, "run").Contains("$RUNNER_TEMP/kubeconfig", StringComparison.Ordinal));
        Assert.Equal("${{ secrets.KUBECONFIG }}", Text(writeFile["env"], "SECRET_CONTENT"));
        Assert.Contains("umask 077", Text(writeFile, "run"));
        // No script text holds a secret expression, so a secret is never part of a command GitHub echoes.
        Assert.DoesNotContain(Steps(ship), s => s.Children.ContainsKey("run") && Text(s, "run").Contains("secrets.", StringComparison.Ordinal));
        // Exactly the two secrets declared, each in one env entry.
        Assert.Equal(2, yaml.Split("secrets.").Length - 1);
    }

    [Fact]
    public void A_secret_for_a_parameter_not_marked_Secret_is_refused()
    {
        var workflow = Sample.Workflow(new TargetJob("ship", "Ship") { Secrets = [new SecretParameter("ToVersion", "X")] });

        var error = Assert.Throws<ArgumentException>(() => Yaml(workflow));
        Assert.Contains("--to-version, which is not marked [Secret]", error.Message);
    }

    [Fact]
    public void An_unknown_parameter_is_refused_with_the_declared_ones()
    {
        var workflow = Sample.Workflow(new TargetJob("ship", "Ship") { Parameters = [KeyValuePair.Create("Enviroment", "x")] });

        var error = Assert.Throws<ArgumentException>(() => Yaml(workflow));
        Assert.Contains("'Enviroment'", error.Message);
        Assert.Contains("Environment", error.Message);
    }

    [Fact]
    public void Manual_inputs_reach_parameters_through_their_environment_variable()
    {
        var workflow = Sample.Workflow(new TargetJob("undo", "Undo") { Inputs = [new InputParameter("ToVersion", "version")] }) with
        {
            On = new WorkflowTriggers { WorkflowDispatch = [new("version", "Version to return to", WorkflowInputType.String, Required: false)] },
        };

        var undo = Job(Jobs(workflow), "undo");

        Assert.Equal("./build.sh Undo", Text(BuildStep(undo), "run"));
        Assert.Equal("${{ inputs.version }}", Text(BuildStep(undo)["env"], "TO_VERSION"));
    }

    [Fact]
    public void Parameter_values_that_a_shell_would_split_are_quoted()
    {
        var workflow = Sample.Workflow(new TargetJob("ship", "Ship") { Parameters = [KeyValuePair.Create("Environment", "two words; rm -rf /")] });

        Assert.Contains("--environment 'two words; rm -rf /'", Text(BuildStep(Job(Jobs(workflow), "ship")), "run"));
    }

    [Fact]
    public void Reports_are_uploaded_even_when_the_build_failed()
    {
        var jobs = Jobs(Sample.Workflow(new TargetJob("model", "Gate") { Reports = ["out/gates/*.md", "out/train/metrics.json"] }));

        var steps = Steps(Job(jobs, "model"));
        var reports = steps.Last();
        Assert.Equal("always()", Text(reports, "if"));
        Assert.StartsWith("actions/upload-artifact@", Text(reports, "uses"), StringComparison.Ordinal);
        Assert.Equal("model-reports", Text(reports["with"], "name"));
        Assert.Equal("out/gates/*.md\nout/train/metrics.json\n", Text(reports["with"], "path"));
        Assert.Equal("ignore", Text(reports["with"], "if-no-files-found"));
        Assert.DoesNotContain(Steps(Job(Jobs(Sample.Pipeline()), "model")), s => s.Children.ContainsKey("if"));
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        Assert.Equal(Yaml(Sample.Pipeline()), Yaml(Sample.Pipeline()));
    }

    [Fact]
    public void Timeouts_default_from_the_workflow_and_can_be_set_per_job()
    {
        var jobs = Jobs(Sample.Workflow(new TargetJob("test", "Test"), new TargetJob("model", "Gate") { TimeoutMinutes = 90 }));

        Assert.Equal("30", Text(Job(jobs, "test"), "timeout-minutes"));
        Assert.Equal("90", Text(Job(jobs, "model"), "timeout-minutes"));
    }
}
