using System.Text;

namespace Pipeline.Kubernetes.Tests;

/// <summary>The API key Secret on the fake cluster, through the pipeline's deployer and the real kubectl.</summary>
public sealed class ApiKeyClusterTests : IAsyncLifetime
{
    private static readonly KubernetesRelease Release = Releases.Version("1.0.0") with { ApiKey = ApiKeyManifestTests.Key };
    private FakeCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private string[] ManifestTexts(string directory) => [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(File.ReadAllText)];

    [Fact]
    public async Task Deploy_applies_the_Secret_before_the_pods_need_it_and_writes_no_file_holding_the_key()
    {
        var manifests = cluster.Directory.File("deploy");

        var result = await cluster.Deployer.DeployAsync(Release, Releases.FastOptions with { ManifestDirectory = manifests }, CancellationToken.None);

        Assert.Equal("1.0.0", result.ModelVersion);
        var secret = await cluster.Client.GetAsync(ResourceType.Secrets, "default", "fashion-mnist-serving-api-keys", CancellationToken.None);
        Assert.NotNull(secret);
        Assert.Contains($"pipeline-kubernetes:{ApiKeyManifestTests.Key.Secret}",
            Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["api-keys"]!.GetValue<string>())));
        // The pods became ready, so the Secret existed when they mounted it (the fake kubelet holds pods without it).
        Assert.True(RolloutStatus.Evaluate(await cluster.DeploymentAsync()).Done);
        Assert.Contains("deployment.yaml", result.ManifestFiles.Select(Path.GetFileName));
        Assert.DoesNotContain(result.ManifestFiles, f => Path.GetFileName(f).StartsWith("secret", StringComparison.Ordinal));
        Assert.All(ManifestTexts(manifests), text => Assert.DoesNotContain(ApiKeyManifestTests.Key.Secret, text));
        Assert.All(ManifestTexts(manifests), text => Assert.DoesNotContain(secret["data"]!["api-keys"]!.GetValue<string>(), text));
        Assert.All(cluster.Log, line => Assert.DoesNotContain(ApiKeyManifestTests.Key.Secret, line));
    }

    [Fact]
    public async Task A_canary_beside_a_stable_Deployment_from_before_keys_brings_the_Secret_its_pods_mount()
    {
        await cluster.Deployer.DeployAsync(Releases.Version("1.0.0"), Releases.FastOptions, CancellationToken.None);
        Assert.Null(await cluster.Client.GetAsync(ResourceType.Secrets, "default", "fashion-mnist-serving-api-keys", CancellationToken.None));

        await new KubernetesCanary(cluster.Client, TimeProvider.System, _ => { })
            .ScaleAsync(Releases.Version("2.0.0") with { ApiKey = ApiKeyManifestTests.Key }, 1, Releases.FastOptions, CancellationToken.None);

        Assert.NotNull(await cluster.Client.GetAsync(ResourceType.Secrets, "default", "fashion-mnist-serving-api-keys", CancellationToken.None));
        Assert.True(RolloutStatus.Evaluate(await cluster.DeploymentAsync("fashion-mnist-serving-canary")).Done);
    }

    [Fact]
    public async Task A_pod_whose_Secret_is_missing_never_becomes_ready()
    {
        var deployment = ManifestGenerator.CreateDeployment(Release);

        await cluster.Client.ApplyAsync(KubernetesJson.ToJson(deployment), "test", force: true, dryRun: false, CancellationToken.None);
        await Task.Delay(500);

        Assert.False(RolloutStatus.Evaluate(await cluster.DeploymentAsync()).Done);
        var events = await cluster.Client.ListAsync(ResourceType.Events, "default", null, CancellationToken.None);
        Assert.Contains(events, e => e["message"]!.GetValue<string>().Contains("secret \"fashion-mnist-serving-api-keys\" not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_key_on_a_dry_run_says_the_Secret_changes_without_printing_either_key()
    {
        await cluster.Deployer.DeployAsync(Release, Releases.FastOptions, CancellationToken.None);
        var rotated = Release with { ApiKey = new Pipeline.IO.ServingApiKey("pipeline-kubernetes", "rotated-secret-" + Guid.NewGuid().ToString("N")) };

        var plan = await cluster.Deployer.DeployAsync(rotated, Releases.FastOptions with { DryRun = true }, CancellationToken.None);

        Assert.Contains("Secret/fashion-mnist-serving-api-keys: would change", plan.Changes);
        Assert.Contains("  ~ data: changed (values not shown)", plan.Changes);
        foreach (var secret in new[] { ApiKeyManifestTests.Key.Secret, rotated.ApiKey!.Secret })
        {
            Assert.All(plan.Changes, line => Assert.DoesNotContain(secret, line));
            Assert.All(cluster.Log, line => Assert.DoesNotContain(secret, line));
        }
    }

    [Fact]
    public async Task Kubectl_accepts_the_Secret_mount_ports_and_grpc_probe_and_the_rollout_completes()
    {
        var path = cluster.Directory.File("kubectl");
        await ManifestWriter.WriteAsync(ManifestGenerator.Generate(Release), path, CancellationToken.None);

        var client = await cluster.Kubectl.RunAsync("apply", "--dry-run=client", "--validate=false", "-f", path);
        var dryRun = await cluster.Kubectl.RunAsync("apply", "--server-side", "--dry-run=server", "-f", path);
        var apply = await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", path);
        var status = await cluster.Kubectl.RunAsync("rollout", "status", "deployment/fashion-mnist-serving", "--timeout=60s");
        var service = await cluster.Kubectl.RunAsync("get", "service", "fashion-mnist-serving", "-o", "json");

        Assert.True(client.Succeeded, client.StandardError);
        Assert.Contains("secret/fashion-mnist-serving-api-keys created (dry run)", client.StandardOutput);
        Assert.True(dryRun.Succeeded, dryRun.StandardError);
        Assert.Contains("secret/fashion-mnist-serving-api-keys serverside-applied (server dry run)", dryRun.StandardOutput);
        Assert.True(apply.Succeeded, apply.StandardError);
        Assert.Contains("secret/fashion-mnist-serving-api-keys serverside-applied", apply.StandardOutput);
        Assert.True(status.Succeeded, status.StandardError + status.StandardOutput);
        var ports = JsonNode.Parse(service.StandardOutput)!["spec"]!["ports"]!.AsArray();
        Assert.Contains(ports, p => p!["name"]!.GetValue<string>() == "grpc" && p["appProtocol"]!.GetValue<string>() == "kubernetes.io/h2c");
    }

    [Fact]
    public async Task The_fake_refuses_what_the_API_server_refuses_in_a_pod_spec()
    {
        var deployment = KubernetesJson.ToJson(ManifestGenerator.CreateDeployment(Release));
        var pod = deployment["spec"]!["template"]!["spec"]!;
        pod["volumes"]!.AsArray().Single(v => v!["secret"] is not null)!["secret"]!["defaultMode"] = 440440; // beyond 0777: a mode written as if it were octal digits
        pod["containers"]![0]!["startupProbe"]!["grpc"]!["port"] = "grpc"; // a gRPC probe needs the number
        var path = cluster.Directory.File("invalid.json");
        await File.WriteAllTextAsync(path, deployment.ToJsonString());

        var apply = await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", path);

        Assert.False(apply.Succeeded);
        Assert.True(apply.StandardError.Contains("secret.defaultMode", StringComparison.Ordinal), apply.StandardError);
        Assert.True(apply.StandardError.Contains("startupProbe.grpc.port", StringComparison.Ordinal), apply.StandardError);
    }
}
