using Pipeline.ModelRegistry;
using Pipeline.Processes;
using Pipeline.Stages;
using TestSupport;

namespace Pipeline.Kubernetes.Tests;

/// <summary>The stage behind Deploy/Rollback --environment kubernetes: the fake cluster and a real model registry kept in step.</summary>
public sealed partial class KubernetesReleaseStageTests : IAsyncLifetime
{
    private const string Environment = "kubernetes";
    private readonly TemporaryDirectory _directory = new();
    private readonly List<string> _log = [];
    private readonly RecordingProcessRunner _processes = new();
    private FakeCluster _cluster = null!;
    private FileSystemModelRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _cluster = await FakeCluster.StartAsync();
        _registry = new FileSystemModelRegistry(_directory.File("registry"), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _registry.Dispose();
        await _cluster.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_validated_version_rolls_out_and_the_registry_records_the_promotion()
    {
        var v1 = await RegisterAsync("v1", passing: true);

        var result = await Stage().DeployAsync(v1, Image(v1), Request("kind-e2e"), CancellationToken.None);

        Assert.Equal(v1.Version, result.ModelVersion);
        Assert.Equal(v1.Version, (await _registry.GetProductionAsync(Target()))!.VersionId);
        var promoted = Assert.Single(await _registry.GetHistoryAsync(Target()));
        Assert.Equal((ReleaseEventKind.Promoted, "abc1234", "test deploy"), (promoted.Kind, promoted.SourceRevision, promoted.Reason));
        // kind nodes cannot reach a loopback registry: the image was loaded into the cluster first.
        Assert.Equal(["kind load docker-image " + Image(v1).Reference + " --name kind-e2e"], _processes.CommandLines);
    }

    [Fact]
    public async Task The_requests_key_reaches_the_pods_as_the_Secret_they_mount_and_not_the_manifest_files()
    {
        var v1 = await RegisterAsync("v1", passing: true);
        var key = new Pipeline.IO.ServingApiKey("pipeline-kubernetes", $"stage-test-{Guid.NewGuid():N}");
        var manifests = _directory.File("deploy");

        var result = await Stage().DeployAsync(v1, Image(v1),
            Request() with { ApiKey = key, Options = Releases.FastOptions with { ManifestDirectory = manifests } }, CancellationToken.None);

        var secret = await _cluster.Client.GetAsync(Api.ResourceType.Secrets, "default", "fashion-mnist-serving-api-keys", CancellationToken.None);
        Assert.Contains($"pipeline-kubernetes:{key.Secret}",
            System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret!["data"]!["api-keys"]!.GetValue<string>())));
        Assert.NotEmpty(result.ManifestFiles);
        Assert.All(Directory.GetFiles(manifests), file => Assert.DoesNotContain(key.Secret, File.ReadAllText(file)));
        Assert.All(_log, line => Assert.DoesNotContain(key.Secret, line));
    }

    [Fact]
    public async Task The_cluster_pulls_the_image_by_the_digest_that_was_pushed_not_by_a_tag()
    {
        var v1 = await RegisterAsync("v1", passing: true);

        await Stage().DeployAsync(v1, Image(v1), Request(), CancellationToken.None);

        var image = (await ServingDeploymentAsync())["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
        Assert.Equal("127.0.0.1:5000/fashion-mnist-serving@" + PushedDigest(v1), image);
    }

    [Fact]
    public async Task An_image_without_a_pushed_digest_is_refused_before_anything_is_applied()
    {
        var v1 = await RegisterAsync("v1", passing: true);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Stage().DeployAsync(v1, Image(v1) with { PushedDigest = null }, Request(), CancellationToken.None));

        Assert.Contains("run ./build.sh Containerize", error.Message);
        Assert.Null(await _cluster.Client.GetAsync(Api.ResourceType.Deployments, "default", "fashion-mnist-serving", CancellationToken.None));
    }

    [Fact]
    public async Task A_version_that_failed_its_gates_is_refused_before_anything_is_applied()
    {
        var failed = await RegisterAsync("v1", passing: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Stage().DeployAsync(failed, Image(failed), Request(), CancellationToken.None));

        Assert.Contains("did not pass Validate", error.Message);
        Assert.Null(await _cluster.Client.GetAsync(Api.ResourceType.Deployments, "default", "fashion-mnist-serving", CancellationToken.None));
        Assert.Null(await _registry.GetProductionAsync(Target()));
    }

    [Fact]
    public async Task A_version_the_registry_never_saw_deploys_on_the_gate_report_and_says_it_was_not_recorded()
    {
        var elsewhere = Manifest("1.0.9+0000000", new string('e', 64));

        var result = await Stage().DeployAsync(elsewhere, Image(elsewhere), Request(), CancellationToken.None);

        Assert.Equal(elsewhere.Version, result.ModelVersion);
        Assert.Null(await _registry.GetProductionAsync(Target()));
        Assert.Contains(_log, line => line.Contains("not recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_returns_the_cluster_and_the_registry_to_the_previous_version()
    {
        var v1 = await RegisterAsync("v1", passing: true);
        var v2 = await RegisterAsync("v2", passing: true);
        await Stage().DeployAsync(v1, Image(v1), Request(), CancellationToken.None);
        await Stage().DeployAsync(v2, Image(v2), Request(), CancellationToken.None);

        var result = await Stage().RollbackAsync("fashion-mnist", null, Request() with { Reason = "incident 42" }, CancellationToken.None);

        Assert.Equal(v1.Version, result.ModelVersion);
        Assert.Equal(v1.Version, (await _registry.GetProductionAsync(Target()))!.VersionId);
        var last = (await _registry.GetHistoryAsync(Target()))[^1];
        Assert.Equal((ReleaseEventKind.RolledBack, v1.Version, v2.Version, "incident 42"), (last.Kind, last.Version, last.PreviousVersion, last.Reason));
    }

    [Fact]
    public async Task A_second_namespace_keeps_its_own_production_record()
    {
        var v1 = await RegisterAsync("v1", passing: true);
        var v2 = await RegisterAsync("v2", passing: true);
        _cluster.Server.Store.Create(Api.ResourceType.Namespaces, null, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "staging" } }, "test");

        await Stage().DeployAsync(v1, Image(v1), Request(), CancellationToken.None);
        await Stage().DeployAsync(v2, Image(v2), Request() with { Namespace = "staging" }, CancellationToken.None);

        Assert.Equal(v1.Version, (await _registry.GetProductionAsync(Target("default")))!.VersionId);
        Assert.Equal(v2.Version, (await _registry.GetProductionAsync(Target("staging")))!.VersionId);
        var rollback = await Assert.ThrowsAnyAsync<Exception>(() => Stage().RollbackAsync("fashion-mnist", null, Request() with { Namespace = "staging" }, CancellationToken.None));
        Assert.Contains("No rollout history to go back to", rollback.Message);
        Assert.Equal(v1.Version, (await _registry.GetProductionAsync(Target("default")))!.VersionId);
    }

    [Fact]
    public async Task Deploying_the_version_already_serving_says_so_and_changes_nothing()
    {
        var v1 = await RegisterAsync("v1", passing: true);
        await Stage().DeployAsync(v1, Image(v1), Request(), CancellationToken.None);
        var before = await ServingDeploymentAsync();

        var again = await Stage().DeployAsync(v1, Image(v1), Request(), CancellationToken.None);

        var after = await ServingDeploymentAsync();
        Assert.True(again.Unchanged);
        Assert.Equal(v1.Version, again.ModelVersion);
        Assert.Equal(before["metadata"]!["resourceVersion"]!.ToString(), after["metadata"]!["resourceVersion"]!.ToString());
        Assert.Equal(before["metadata"]!["generation"]!.ToString(), after["metadata"]!["generation"]!.ToString());
        Assert.Contains(_log, line => line == $"version {v1.Version} already serves on default/fashion-mnist-serving (revision {again.Revision}); nothing to change");
        Assert.Single(await _registry.GetHistoryAsync(Target()));

        var v2 = await RegisterAsync("v2", passing: true);
        var next = await Stage().DeployAsync(v2, Image(v2), Request(), CancellationToken.None);
        Assert.False(next.Unchanged);
        Assert.Equal(again.Revision + 1, next.Revision);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> ServingDeploymentAsync() =>
        (await _cluster.Client.GetAsync(Api.ResourceType.Deployments, "default", "fashion-mnist-serving", CancellationToken.None))!;

    /// <summary>Where the stage records production: the environment, the fake's API server and the namespace.</summary>
    private ReleaseTarget Target(string @namespace = "default") =>
        ReleaseTarget.ForCluster(Environment, _cluster.Client.Server, @namespace) with { Model = "fashion-mnist" };

    private KubernetesReleaseStage Stage() => new(_cluster.Client, _registry, _processes, TimeProvider.System, line => { lock (_log) _log.Add(line); });

    private static KubernetesReleaseRequest Request(string? kindCluster = null) =>
        new(Environment, "default", 2, Releases.FastOptions, "abc1234", "test deploy", kindCluster);

    private async Task<ReleaseManifest> RegisterAsync(string content, bool passing)
    {
        var path = _directory.File($"{content}.onnx");
        await File.WriteAllTextAsync(path, $"model {content}");
        var accuracy = passing ? 0.9 : 0.5;
        var version = await _registry.RegisterAsync(new ModelRegistration
        {
            ModelName = "fashion-mnist",
            ModelPath = path,
            SourceRevision = "abc1234",
            Metrics = new Dictionary<string, double> { ["accuracy"] = accuracy },
            Gates = [new GateResult("min-accuracy", 0.88, accuracy, passing)],
        });
        return Manifest(version.VersionId, version.Sha256, path);
    }

    private static ReleaseManifest Manifest(string version, string sha256, string path = "/nonexistent.onnx") =>
        new("fashion-mnist", version, sha256, "fp32", path, "abc1234");

    private static ContainerImage Image(ReleaseManifest release) =>
        new($"127.0.0.1:5000/fashion-mnist-serving:{ImageTags.ForModel(release.Version, release.Sha256)}", [ImageTags.ForModel(release.Version, release.Sha256)],
            "sha256:0", "base", 1, PushedDigest(release), 0, 0, 0);

    /// <summary>A digest per model, as the image registry would answer the push.</summary>
    private static string PushedDigest(ReleaseManifest release) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("image of " + release.Sha256)));

    private sealed class RecordingProcessRunner : IProcessRunner
    {
        public List<string> CommandLines { get; } = [];

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
        {
            lock (CommandLines) CommandLines.Add(spec.CommandLine);
            return Task.FromResult(new ProcessResult(0, "", ""));
        }
    }
}
