namespace Pipeline.Kubernetes.Tests;

/// <summary>The real kubectl against the fake: it must accept, watch and undo as it would on a cluster.</summary>
public sealed class KubectlFidelityTests : IAsyncLifetime
{
    private readonly TemporaryDirectory directory = new();
    private FakeApiServer server = null!;
    private Kubectl kubectl = null!;

    public async Task InitializeAsync()
    {
        server = await FakeApiServer.StartAsync(TimeSpan.FromMilliseconds(100));
        kubectl = await Kubectl.ForAsync(server, directory);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        directory.Dispose();
    }

    private async Task<string> WriteManifestsAsync(KubernetesRelease release, string name)
    {
        var path = directory.File(name);
        await ManifestWriter.WriteAsync(ManifestGenerator.Generate(release), path, CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task ServerSideApplyThenRolloutStatusSucceeds()
    {
        var manifests = await WriteManifestsAsync(Releases.Version("1.0.0"), "v1");
        var apply = await kubectl.RunAsync("apply", "--server-side", "-f", manifests);
        Assert.True(apply.Succeeded, apply.StandardError + string.Join("\n", server.Requests));
        Assert.Contains("deployment.apps/fashion-mnist-serving serverside-applied", apply.StandardOutput);
        Assert.Contains("poddisruptionbudget.policy/fashion-mnist-serving serverside-applied", apply.StandardOutput);

        var status = await kubectl.RunAsync("rollout", "status", "deployment/fashion-mnist-serving", "--timeout=60s");
        Assert.True(status.Succeeded, status.StandardError + status.StandardOutput);
        Assert.Contains("deployment \"fashion-mnist-serving\" successfully rolled out", status.StandardOutput);

        var get = await kubectl.RunAsync("get", "deploy", "fashion-mnist-serving", "-o", "json");
        Assert.True(get.Succeeded, get.StandardError);
        var deployment = JsonNode.Parse(get.StandardOutput)!;
        Assert.Equal(2, deployment["status"]!["availableReplicas"]!.GetValue<long>());
        Assert.Equal("1", deployment["metadata"]!["annotations"]![RevisionHistory.RevisionAnnotation]!.GetValue<string>());
    }
}
