namespace Pipeline.Kubernetes.Tests;

/// <summary>The real kubectl against the fake: it must accept, watch and undo as it would on a cluster.</summary>
public sealed class KubectlFidelityTests : IAsyncLifetime
{
    private const string Deployment = "deployment/fashion-mnist-serving";
    private FakeCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await FakeCluster.StartAsync(TimeSpan.FromMilliseconds(100));

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private async Task ApplyWithKubectlAsync(KubernetesRelease release)
    {
        var path = cluster.Directory.File("manifests-" + release.ModelVersion);
        await ManifestWriter.WriteAsync(ManifestGenerator.Generate(release), path, CancellationToken.None);
        var apply = await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", path);
        Assert.True(apply.Succeeded, apply.StandardError);
        Assert.Contains("deployment.apps/fashion-mnist-serving serverside-applied", apply.StandardOutput);
        Assert.Contains("service/fashion-mnist-serving serverside-applied", apply.StandardOutput);
        Assert.Contains("horizontalpodautoscaler.autoscaling/fashion-mnist-serving serverside-applied", apply.StandardOutput);
        Assert.Contains("poddisruptionbudget.policy/fashion-mnist-serving serverside-applied", apply.StandardOutput);
    }

    [Fact]
    public async Task Kubectl_applies_the_canary_Deployment_beside_the_stable_one_and_sees_it_roll_out()
    {
        await ApplyWithKubectlAsync(Releases.Version("1.0.0"));
        var path = cluster.Directory.File("canary.yaml");
        await ManifestWriter.WriteAsync([CanaryManifest.Create(Releases.Version("2.0.0"), 1)], path, CancellationToken.None);

        var apply = await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", path);
        Assert.True(apply.Succeeded, apply.StandardError);
        Assert.Contains("deployment.apps/fashion-mnist-serving-canary serverside-applied", apply.StandardOutput);
        var status = await cluster.Kubectl.RunAsync("rollout", "status", "deployment/fashion-mnist-serving-canary", "--timeout=60s");
        Assert.True(status.Succeeded, status.StandardError + status.StandardOutput);
        // The Service's selector now matches both versions' pods: three endpoints, one of them the canary.
        var pods = await cluster.Kubectl.RunAsync("get", "pods", "-l", "app.kubernetes.io/name=fashion-mnist-serving", "-o", "json");
        var items = JsonNode.Parse(pods.StandardOutput)!["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.Single(items, p => p!["metadata"]!["labels"]![CanaryManifest.TrackLabel] is not null);
    }

    [Fact]
    public async Task ServerSideApplyThenRolloutStatusSucceedsAndGetParses()
    {
        await ApplyWithKubectlAsync(Releases.Version("1.0.0"));

        var status = await cluster.Kubectl.RunAsync("rollout", "status", Deployment, "--timeout=60s");
        Assert.True(status.Succeeded, status.StandardError + status.StandardOutput);
        Assert.Contains("deployment \"fashion-mnist-serving\" successfully rolled out", status.StandardOutput);

        var get = await cluster.Kubectl.RunAsync("get", "deploy", "fashion-mnist-serving", "-o", "json");
        Assert.True(get.Succeeded, get.StandardError);
        var deployment = JsonNode.Parse(get.StandardOutput)!.AsObject();
        Assert.Equal(2, deployment["status"]!["availableReplicas"]!.GetValue<long>());
        Assert.Equal("1", deployment["metadata"]!["annotations"]![RevisionHistory.RevisionAnnotation]!.GetValue<string>());
        Assert.True(RolloutStatus.Evaluate(deployment).Done);
        // kubectl hides managedFields unless asked; the fake records kubectl as the applying manager.
        Assert.Null(deployment["metadata"]!["managedFields"]);
        var withFields = await cluster.DeploymentAsync();
        Assert.Contains(withFields["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "kubectl" && m["operation"]!.GetValue<string>() == "Apply");
    }

    [Fact]
    public async Task DryRunsAcceptTheManifestsAndStoreNothing()
    {
        var path = cluster.Directory.File("manifests");
        await ManifestWriter.WriteAsync(ManifestGenerator.Generate(Releases.Version("1.0.0")), path, CancellationToken.None);

        var client = await cluster.Kubectl.RunAsync("apply", "--dry-run=client", "--validate=false", "-f", path);
        var server = await cluster.Kubectl.RunAsync("apply", "--server-side", "--dry-run=server", "-f", path);
        var list = await cluster.Kubectl.RunAsync("get", "deployments,services,hpa,pdb", "-o", "json");

        Assert.True(client.Succeeded, client.StandardError);
        Assert.Contains("deployment.apps/fashion-mnist-serving created (dry run)", client.StandardOutput);
        Assert.True(server.Succeeded, server.StandardError);
        Assert.Contains("deployment.apps/fashion-mnist-serving serverside-applied (server dry run)", server.StandardOutput);
        Assert.True(list.Succeeded, list.StandardError);
        Assert.Empty(JsonNode.Parse(list.StandardOutput)!["items"]!.AsArray());
    }

    [Fact]
    public async Task RolloutStatusFailsOnAStalledRolloutWithTheMessageThePipelineGives()
    {
        await ApplyWithKubectlAsync(Releases.Version("1.0.0"));
        Assert.True((await cluster.Kubectl.RunAsync("rollout", "status", Deployment, "--timeout=60s")).Succeeded);
        await ApplyWithKubectlAsync(Releases.Version("2.0.0", image: "127.0.0.1:5000/unpullable"));

        var status = await cluster.Kubectl.RunAsync("rollout", "status", Deployment, "--timeout=60s");

        Assert.False(status.Succeeded);
        Assert.Contains("error: deployment \"fashion-mnist-serving\" exceeded its progress deadline", status.StandardError);
        var ours = RolloutStatus.Evaluate(await cluster.DeploymentAsync());
        Assert.True(ours.Failed);
        Assert.Contains(ours.Message, status.StandardError);
        // The old pods keep serving: maxUnavailable 0 never takes one away before a new one is available.
        Assert.Equal(2, (await cluster.DeploymentAsync())["status"]!["availableReplicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task RolloutStatusTimesOutWhileTheDeadlineIsStillAhead()
    {
        await ApplyWithKubectlAsync(Releases.Version("1.0.0", image: "127.0.0.1:5000/unpullable") with { ProgressDeadlineSeconds = 600 });

        var status = await cluster.Kubectl.RunAsync("rollout", "status", Deployment, "--timeout=2s");

        Assert.False(status.Succeeded);
        Assert.Contains("timed out waiting for the condition", status.StandardError);
        Assert.Contains("Waiting for deployment \"fashion-mnist-serving\" rollout to finish", status.StandardOutput);
    }

    [Fact]
    public async Task KubectlUndoLeavesTheSameDeploymentAsThePipelinesRollback()
    {
        await using var other = await FakeCluster.StartAsync(TimeSpan.FromMilliseconds(100));
        foreach (var target in new[] { cluster, other })
        {
            await target.Deployer.DeployAsync(Releases.Version("1.0.0"), Releases.FastOptions, CancellationToken.None);
            await target.Deployer.DeployAsync(Releases.Version("2.0.0"), Releases.FastOptions, CancellationToken.None);
        }

        var undo = await cluster.Kubectl.RunAsync("rollout", "undo", Deployment);
        Assert.True(undo.Succeeded, undo.StandardError);
        Assert.Contains("deployment.apps/fashion-mnist-serving rolled back", undo.StandardOutput);
        Assert.True((await cluster.Kubectl.RunAsync("rollout", "status", Deployment, "--timeout=60s")).Succeeded);
        await other.Deployer.RollbackAsync("fashion-mnist-serving", "default", null, Releases.FastOptions, CancellationToken.None);

        var byKubectl = await cluster.DeploymentAsync();
        var byPipeline = await other.DeploymentAsync();
        Assert.True(JsonNode.DeepEquals(byKubectl["spec"], byPipeline["spec"]), $"{byKubectl["spec"]}\n---\n{byPipeline["spec"]}");
        Assert.True(JsonNode.DeepEquals(byKubectl["metadata"]!["annotations"], byPipeline["metadata"]!["annotations"]));
        Assert.Equal("3", byKubectl["metadata"]!["annotations"]![RevisionHistory.RevisionAnnotation]!.GetValue<string>());
        Assert.Equal("1.0.0", byKubectl["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
        Assert.Equal(
            await ReplicaSetRevisionsAsync(cluster),
            await ReplicaSetRevisionsAsync(other));
    }

    [Fact]
    public async Task KubectlSeesThePipelinesRevisionsAndUndoesToANamedOne()
    {
        foreach (var version in new[] { "1.0.0", "2.0.0", "3.0.0" })
        {
            await cluster.Deployer.DeployAsync(Releases.Version(version), Releases.FastOptions, CancellationToken.None);
        }

        var history = await cluster.Kubectl.RunAsync("rollout", "history", Deployment);
        Assert.True(history.Succeeded, history.StandardError);
        Assert.Equal(["1", "2", "3"], history.StandardOutput.Split('\n').Select(l => l.Split(' ')[0]).Where(w => w.Length > 0 && char.IsAsciiDigit(w[0])));
        var undo = await cluster.Kubectl.RunAsync("rollout", "undo", Deployment, "--to-revision=1");
        Assert.True(undo.Succeeded, undo.StandardError);
        Assert.True((await cluster.Kubectl.RunAsync("rollout", "status", Deployment, "--timeout=60s")).Succeeded);

        var revisions = await RevisionHistory.ListAsync(cluster.Client, await cluster.DeploymentAsync(), CancellationToken.None);
        Assert.Equal(["revision 2 (version 2.0.0)", "revision 3 (version 3.0.0)", "revision 4 (version 1.0.0)"], revisions.Select(r => r.ToString()));
        var again = await cluster.Kubectl.RunAsync("rollout", "undo", Deployment, "--to-revision=4");
        Assert.Contains("skipped rollback (current template already matches revision 4)", again.StandardOutput + again.StandardError);
    }

    [Fact]
    public async Task KubectlApplyAfterThePipelineConflictsOnlyWhereValuesDiffer()
    {
        await cluster.Deployer.DeployAsync(Releases.Version("1.0.0"), Releases.FastOptions, CancellationToken.None);
        // Same values: shared ownership, no conflict (as on a real server).
        await ApplyWithKubectlAsync(Releases.Version("1.0.0"));

        var path = cluster.Directory.File("v2");
        await ManifestWriter.WriteAsync(ManifestGenerator.Generate(Releases.Version("2.0.0")), path, CancellationToken.None);
        var conflicting = await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", Path.Combine(path, "deployment.yaml"));

        Assert.False(conflicting.Succeeded);
        Assert.Contains("conflict", conflicting.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("mlops-pipeline", conflicting.StandardError);
        var forced = await cluster.Kubectl.RunAsync("apply", "--server-side", "--force-conflicts", "-f", Path.Combine(path, "deployment.yaml"));
        Assert.True(forced.Succeeded, forced.StandardError);
    }

    [Fact]
    public async Task KubectlScalesThroughTheScaleSubresourceAndReportsWhatTheServerRefuses()
    {
        await ApplyWithKubectlAsync(Releases.Version("1.0.0"));
        var scale = await cluster.Kubectl.RunAsync("scale", Deployment, "--replicas=3");
        Assert.True(scale.Succeeded, scale.StandardError);
        Assert.Contains("deployment.apps/fashion-mnist-serving scaled", scale.StandardOutput);
        Assert.Equal(3, (await cluster.DeploymentAsync())["spec"]!["replicas"]!.GetValue<long>());

        var negative = KubernetesJson.ToJson(ManifestGenerator.CreateDeployment(Releases.Version("1.0.0")));
        negative["spec"]!["replicas"] = -1;
        var invalidPath = cluster.Directory.File("negative.yaml");
        await File.WriteAllTextAsync(invalidPath, YamlJson.ToYaml(negative));
        var invalid = await cluster.Kubectl.RunAsync("apply", "--server-side", "--force-conflicts", "-f", invalidPath);
        Assert.False(invalid.Succeeded);
        Assert.Contains("is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", invalid.StandardError);

        var misspelt = KubernetesJson.ToJson(ManifestGenerator.CreateDeployment(Releases.Version("1.0.0")));
        misspelt["spec"]!["replicaz"] = 2;
        var misspeltPath = cluster.Directory.File("misspelt.yaml");
        await File.WriteAllTextAsync(misspeltPath, YamlJson.ToYaml(misspelt));
        var unknown = await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", misspeltPath);
        Assert.False(unknown.Succeeded);
        Assert.Contains(".spec.replicaz: field not declared in schema", unknown.StandardError);
    }

    private static async Task<string> ReplicaSetRevisionsAsync(FakeCluster target)
    {
        var sets = await target.Client.ListAsync(ResourceType.ReplicaSets, "default", "app.kubernetes.io/name=fashion-mnist-serving", CancellationToken.None);
        return string.Join(", ", sets.Select(rs => $"{rs["metadata"]!["name"]}={rs["metadata"]!["annotations"]![RevisionHistory.RevisionAnnotation]}:{rs["spec"]!["replicas"]}").Order());
    }
}
