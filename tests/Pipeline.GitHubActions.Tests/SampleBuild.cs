using Pipeline.Engine;
using Pipeline.GitHubActions.Generation;
using Pipeline.GitHubActions.Model;

namespace Pipeline.GitHubActions.Tests;

/// <summary>A small build shaped like the pipeline: setup, tests, a chain of stages handing files on, a release.</summary>
sealed class SampleBuild : BuildDefinition
{
    [Parameter("Where to release")] readonly string Environment = "local";
    [Parameter("Registry password"), Secret] readonly string? Password;
    [Parameter("Path to a kubeconfig")] readonly string? Kubeconfig;
    [Parameter("Version to return to")] readonly string? ToVersion;

    Target Setup => _ => _.Executes(() => { });
    Target Compile => _ => _.Executes(() => { });
    Target Test => _ => _.DependsOn(Setup, Compile).Executes(() => { });
    Target Train => _ => _.DependsOn(Setup).Produces("out/train/**").Executes(() => { });
    Target Export => _ => _.DependsOn(Train).Consumes(Train).Produces("out/model/model.onnx").Executes(() => { });
    Target Gate => _ => _.DependsOn(Export).Consumes(Export).Produces("out/gates/**").Executes(() => { });
    Target Image => _ => _.DependsOn(Gate).Consumes(Gate, "out/gates/**").Produces("out/image/image.json", "out/image/publish/**").Executes(() => { });
    Target Load => _ => _.DependsOn(Image).Executes(() => { });
    Target Ship => _ => _.DependsOn(Load).Executes(() => { });
    Target Undo => _ => _.Executes(() => { });

    public static BuildGraph Graph(string root) => BuildGraph.From<SampleBuild>(root);
}

static class Sample
{
    public static readonly ActionReference Checkout = new("actions/checkout", new string('a', 40), "v9.9.9");
    public static readonly ActionReference Upload = new("actions/upload-artifact", new string('b', 40), "v9.0.0");
    public static readonly ActionReference Download = new("actions/download-artifact", new string('c', 40), "v9.0.1");

    public static PipelineWorkflow Workflow(params TargetJob[] jobs) => new()
    {
        FileName = "sample.yml",
        Name = "Sample",
        On = new WorkflowTriggers { PushBranches = ["main"], PullRequestBranches = [], WorkflowDispatch = [] },
        RunsOn = "ubuntu-latest",
        RunOnEveryRunner = ["Setup"],
        CommonSteps = [WorkflowStep.Uses("Check out", Checkout)],
        UploadArtifact = Upload,
        DownloadArtifact = Download,
        Jobs = jobs,
    };

    /// <summary>The pipeline's shape: tests, the model chain, the image, a release that waits for tests.</summary>
    public static PipelineWorkflow Pipeline() => Workflow(
        new TargetJob("test", "Test"),
        new TargetJob("model", "Gate"),
        new TargetJob("image", "Load"),
        new TargetJob("ship", "Ship")
        {
            If = "github.event_name != 'pull_request'",
            Environment = "production",
            AlsoNeeds = ["test"],
            AlsoConsumes = [new("Image", ["out/image/image.json"])],
            Parameters = [KeyValuePair.Create("Environment", "kubernetes")],
            Secrets = [new SecretParameter("Password", "REGISTRY_PASSWORD")],
            SecretFiles = [new SecretFileParameter("Kubeconfig", "KUBECONFIG", "kubeconfig")],
        });
}
