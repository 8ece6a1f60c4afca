namespace Pipeline.Kubernetes.Tests;

/// <summary>KubernetesDeployer against the fake API server over real HTTP, with the controller stepping every 50 ms.</summary>
public sealed class DeployerTests : IAsyncLifetime
{
    private const string Name = "fashion-mnist-serving";
    private FakeCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private Task<KubernetesDeployResult> DeployAsync(KubernetesRelease release, KubernetesDeployOptions? options = null) =>
        cluster.Deployer.DeployAsync(release, options ?? Releases.FastOptions, CancellationToken.None);

    private async Task<IReadOnlyList<JsonObject>> PodsAsync() =>
        await cluster.Client.ListAsync(ResourceType.Pods, "default", "app.kubernetes.io/name=" + Name, CancellationToken.None);

    [Fact]
    public async Task DeployAppliesAllObjectsAndWaitsUntilEveryPodRunsTheNewVersion()
    {
        var first = await DeployAsync(Releases.Version("1.0.0"));
        var second = await DeployAsync(Releases.Version("2.0.0"));

        Assert.Equal((1L, "1.0.0"), (first.Revision!.Value, first.ModelVersion!));
        Assert.Equal((2L, "2.0.0"), (second.Revision!.Value, second.ModelVersion!));
        var pods = await PodsAsync();
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.EndsWith(":2.0.0", p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));
        Assert.True(RolloutStatus.Evaluate(await cluster.DeploymentAsync()).Done);
        foreach (var type in new[] { ResourceType.Services, ResourceType.HorizontalPodAutoscalers, ResourceType.PodDisruptionBudgets })
        {
            Assert.NotNull(await cluster.Client.GetAsync(type, "default", Name, CancellationToken.None));
        }

        Assert.Contains(cluster.Log, l => l.Contains("successfully rolled out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedeployingTheSameVersionChangesNothing()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        var before = await cluster.DeploymentAsync();

        var again = await DeployAsync(Releases.Version("1.0.0"));

        var after = await cluster.DeploymentAsync();
        Assert.Equal(1L, again.Revision);
        Assert.Equal(before["metadata"]!["generation"]!.GetValue<long>(), after["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task AStalledRolloutIsUndoneAndTheErrorSaysWhy()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        var templateBefore = (await cluster.DeploymentAsync())["spec"]!["template"];

        var failure = await Assert.ThrowsAsync<KubernetesDeployException>(() => DeployAsync(Releases.Version("2.0.0", image: "127.0.0.1:5000/unpullable")));

        Assert.True(failure.RolledBack);
        Assert.Contains("exceeded its progress deadline", failure.Message);
        Assert.Contains("ImagePullBackOff", failure.Message);
        Assert.Contains("Failed to pull image \"127.0.0.1:5000/unpullable:2.0.0\"", failure.Message);
        Assert.Contains("Rolled back to revision 1 (version 1.0.0), which is serving again", failure.Message);
        var deployment = await cluster.DeploymentAsync();
        Assert.Equal("127.0.0.1:5000/fashion-mnist-serving:1.0.0", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("3", deployment["metadata"]!["annotations"]![RevisionHistory.RevisionAnnotation]!.GetValue<string>());
        Assert.Equal("1.0.0", deployment["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
        Assert.True(RolloutStatus.Evaluate(deployment).Done);
        Assert.True(JsonNode.DeepEquals(templateBefore, deployment["spec"]!["template"]), "the undo restores the previous pod template exactly");
        Assert.All(await PodsAsync(), p => Assert.EndsWith(":1.0.0", p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AfterTheAutomaticUndoEveryObjectNamesTheVersionServing()
    {
        await DeployAsync(Releases.Version("1.0.0"));

        await Assert.ThrowsAsync<KubernetesDeployException>(() => DeployAsync(Releases.Version("2.0.0", image: "127.0.0.1:5000/unpullable")));

        await AssertEveryObjectNamesAsync(Releases.Version("1.0.0"));
    }

    [Fact]
    public async Task AfterARollbackEveryObjectNamesTheVersionServing()
    {
        foreach (var version in new[] { "1.0.0", "2.0.0", "3.0.0" }) await DeployAsync(Releases.Version(version));

        await cluster.Deployer.RollbackAsync(Name, "default", null, Releases.FastOptions, CancellationToken.None);
        await AssertEveryObjectNamesAsync(Releases.Version("2.0.0"));

        await cluster.Deployer.RollbackAsync(Name, "default", "1.0.0", Releases.FastOptions, CancellationToken.None);
        await AssertEveryObjectNamesAsync(Releases.Version("1.0.0"));
    }

    /// <summary>The version label and the model version and SHA-256 annotations of every object name <paramref name="serving"/>.</summary>
    private async Task AssertEveryObjectNamesAsync(KubernetesRelease serving)
    {
        foreach (var type in new[] { ResourceType.Deployments, ResourceType.Services, ResourceType.HorizontalPodAutoscalers, ResourceType.PodDisruptionBudgets })
        {
            var live = (await cluster.Client.GetAsync(type, "default", Name, CancellationToken.None))!;
            var metadata = live["metadata"]!;
            Assert.Equal((type.Kind, serving.VersionLabel), (type.Kind, metadata["labels"]![ManifestGenerator.VersionLabel]!.GetValue<string>()));
            Assert.Equal((type.Kind, serving.ModelVersion), (type.Kind, metadata["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>()));
            Assert.Equal((type.Kind, serving.ModelSha256), (type.Kind, metadata["annotations"]![ManifestGenerator.ModelSha256Annotation]!.GetValue<string>()));
        }

        Assert.All(await PodsAsync(), p => Assert.Equal(serving.ModelVersion, p["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheAutoscalersScalingSurvivesTheNextDeploy()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        await ScaleAsHorizontalPodAutoscalerAsync(3);

        var planned = await DeployAsync(Releases.Version("2.0.0"), Releases.FastOptions with { DryRun = true });
        await DeployAsync(Releases.Version("2.0.0"));

        Assert.DoesNotContain(planned.Changes, c => c.Contains("spec.replicas", StringComparison.Ordinal));
        var deployment = await cluster.DeploymentAsync();
        Assert.Equal(3, deployment["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(3, (await PodsAsync()).Count);
        Assert.DoesNotContain(deployment["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "mlops-pipeline"
            && m["operation"]!.GetValue<string>() == "Apply" && m["fieldsV1"]!["f:spec"]!["f:replicas"] is not null);
    }

    [Fact]
    public async Task ADeploymentWhoseReplicasThePipelineOwnedKeepsItsCountWhenTheAutoscalerTakesOver()
    {
        // As the pipeline applied it before it left replicas to the autoscaler: spec.replicas (3, above the
        // autoscaler's minimum of 2) owned by its apply.
        var old = Releases.Version("1.0.0");
        foreach (var value in new IKubernetesObject[] { ManifestGenerator.CreateDeployment(old with { Replicas = 3 }), ManifestGenerator.CreateService(old), ManifestGenerator.CreateAutoscaler(old) })
        {
            await cluster.Client.ApplyAsync(KubernetesJson.ToJson(value), "mlops-pipeline", force: true, dryRun: false, CancellationToken.None);
        }

        var planned = await DeployAsync(Releases.Version("2.0.0") with { Replicas = 2 }, Releases.FastOptions with { DryRun = true });
        await DeployAsync(Releases.Version("2.0.0") with { Replicas = 2 });

        Assert.DoesNotContain(planned.Changes, c => c.Contains("spec.replicas: 3 -> ", StringComparison.Ordinal));
        Assert.Equal(3, (await cluster.DeploymentAsync())["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(3, (await PodsAsync()).Count);
        Assert.Contains(cluster.Log, l => l.Contains("handed over", StringComparison.Ordinal));
    }

    /// <summary>What the HorizontalPodAutoscaler does: a PUT of the Deployment's scale subresource.</summary>
    private async Task ScaleAsHorizontalPodAutoscalerAsync(int replicas)
    {
        using var http = new HttpClient { BaseAddress = cluster.Server.Address };
        const string path = "/apis/apps/v1/namespaces/default/deployments/" + Name + "/scale";
        var scale = JsonNode.Parse(await http.GetStringAsync(path))!.AsObject();
        scale["spec"]!["replicas"] = replicas;
        // The autoscaler retries a conflict; here the read's resourceVersion is dropped, since the controller moves it on.
        scale["metadata"]!.AsObject().Remove("resourceVersion");
        var put = await http.PutAsync(path + "?fieldManager=kube-controller-manager",
            new StringContent(scale.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheFailureReportsTheEventsOfTheRolloutsOwnObjectsNotOfOthersWithTheSameName()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        // An event about an earlier Deployment of the same name (another uid), as a deleted and recreated one leaves.
        cluster.Server.Store.Create(ResourceType.Events, "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = Name + ".stale" },
            ["involvedObject"] = new JsonObject { ["kind"] = "Deployment", ["namespace"] = "default", ["name"] = Name, ["uid"] = "00000000-0000-4000-8000-00000000dead" },
            ["reason"] = "StaleEarlierDeployment", ["message"] = "about an object that no longer exists", ["type"] = "Normal", ["count"] = 1,
            ["lastTimestamp"] = "2999-01-01T00:00:00Z",
        }, "test");

        var failure = await Assert.ThrowsAsync<KubernetesDeployException>(() => DeployAsync(Releases.Version("2.0.0", image: "127.0.0.1:5000/unpullable")));

        Assert.Contains("Failed to pull image", failure.Message);
        Assert.Contains("ScalingReplicaSet Deployment/" + Name, failure.Message);
        Assert.DoesNotContain("FailedGetResourceMetric", failure.Message);
        Assert.DoesNotContain("StaleEarlierDeployment", failure.Message);
    }

    [Fact]
    public async Task ACrashingVersionThatRunsOutOfTimeIsUndoneWithTheCrashInTheError()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        var release = Releases.Version("2.0.0", image: "127.0.0.1:5000/crashloop") with { ProgressDeadlineSeconds = 600 };

        var failure = await Assert.ThrowsAsync<KubernetesDeployException>(() =>
            DeployAsync(release, Releases.FastOptions with { RolloutTimeout = TimeSpan.FromSeconds(2) }));

        Assert.True(failure.RolledBack);
        Assert.Contains("timed out after 2 s", failure.Message);
        Assert.Contains("CrashLoopBackOff", failure.Message);
        Assert.Contains("Back-off restarting failed container server", failure.Message);
        Assert.EndsWith(":1.0.0", (await cluster.DeploymentAsync())["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFirstDeploymentThatFailsHasNothingToRollBackTo()
    {
        var failure = await Assert.ThrowsAsync<KubernetesDeployException>(() => DeployAsync(Releases.Version("1.0.0", image: "127.0.0.1:5000/unpullable")));

        Assert.False(failure.RolledBack);
        Assert.Contains("no earlier revision to roll back to", failure.Message);
        Assert.Contains("ImagePullBackOff", failure.Message);
    }

    [Fact]
    public async Task RollbackReturnsToThePreviousRevisionOrToANamedVersion()
    {
        foreach (var version in new[] { "1.0.0", "2.0.0", "3.0.0" }) await DeployAsync(Releases.Version(version));

        var previous = await cluster.Deployer.RollbackAsync(Name, "default", null, Releases.FastOptions, CancellationToken.None);
        Assert.Equal(("2.0.0", 4L), (previous.ModelVersion!, previous.Revision!.Value));

        var named = await cluster.Deployer.RollbackAsync(Name, "default", "1.0.0", Releases.FastOptions, CancellationToken.None);
        Assert.Equal(("1.0.0", 5L), (named.ModelVersion!, named.Revision!.Value));
        Assert.All(await PodsAsync(), p => Assert.EndsWith(":1.0.0", p["spec"]!["containers"]![0]!["image"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RollbackDryRunNamesTheRevisionAndChangesNothing()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        await DeployAsync(Releases.Version("2.0.0"));
        var patchesBefore = cluster.Server.Requests.Count(r => r.StartsWith("PATCH", StringComparison.Ordinal));

        var planned = await cluster.Deployer.RollbackAsync(Name, "default", null, Releases.FastOptions with { DryRun = true }, CancellationToken.None);

        Assert.True(planned.DryRun);
        Assert.Equal(("1.0.0", 1L), (planned.ModelVersion!, planned.Revision!.Value));
        Assert.Equal(patchesBefore, cluster.Server.Requests.Count(r => r.StartsWith("PATCH", StringComparison.Ordinal)));
        Assert.Equal("2.0.0", (await cluster.DeploymentAsync())["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
    }

    [Fact]
    public async Task RollbackToAnUnknownVersionListsTheAvailableOnes()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        await DeployAsync(Releases.Version("2.0.0"));
        var failure = await Assert.ThrowsAsync<KubernetesDeployException>(() =>
            cluster.Deployer.RollbackAsync(Name, "default", "9.9.9", Releases.FastOptions, CancellationToken.None));

        Assert.Contains("revision 1 (version 1.0.0), revision 2 (version 2.0.0)", failure.Message);
        // Server-side applies carry force=; the undo's JSON patch does not, and none was sent.
        Assert.DoesNotContain(cluster.Server.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal) && !r.Contains("force=", StringComparison.Ordinal));
        Assert.Equal("2.0.0", (await cluster.DeploymentAsync())["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
    }

    [Fact]
    public async Task RollbackWithoutHistorySaysSo()
    {
        await DeployAsync(Releases.Version("1.0.0"));

        var failure = await Assert.ThrowsAsync<KubernetesDeployException>(() =>
            cluster.Deployer.RollbackAsync(Name, "default", null, Releases.FastOptions, CancellationToken.None));

        Assert.Contains("No rollout history to go back to", failure.Message);
        Assert.Contains("revision 1 (version 1.0.0)", failure.Message);
    }

    [Fact]
    public async Task DryRunReportsTheChangesAndAppliesNothing()
    {
        await DeployAsync(Releases.Version("1.0.0"));
        var before = await cluster.DeploymentAsync();
        var patchesBefore = cluster.Server.Requests.Count(r => r.StartsWith("PATCH", StringComparison.Ordinal));

        var result = await DeployAsync(Releases.Version("2.0.0"), Releases.FastOptions with { DryRun = true });

        Assert.True(result.DryRun);
        Assert.Contains("Deployment/fashion-mnist-serving: would change", result.Changes);
        Assert.Contains(result.Changes, c => c.Contains("spec.template.spec.containers[0].image: \"127.0.0.1:5000/fashion-mnist-serving:1.0.0\" -> \"127.0.0.1:5000/fashion-mnist-serving:2.0.0\"", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Changes, c => c.Contains("managedFields", StringComparison.Ordinal) || c.Contains("resourceVersion", StringComparison.Ordinal) || c.Contains("status", StringComparison.Ordinal));
        var after = await cluster.DeploymentAsync();
        Assert.Equal(before["metadata"]!["resourceVersion"]!.GetValue<string>(), after["metadata"]!["resourceVersion"]!.GetValue<string>());
        var patches = cluster.Server.Requests.Where(r => r.StartsWith("PATCH", StringComparison.Ordinal)).Skip(patchesBefore).ToList();
        Assert.Equal(4, patches.Count);
        Assert.All(patches, p => Assert.Contains("dryRun=All", p));
    }

    [Fact]
    public async Task DryRunOfAFirstDeploymentSaysEverythingWouldBeCreated()
    {
        var result = await DeployAsync(Releases.Version("1.0.0"), Releases.FastOptions with { DryRun = true, ManifestDirectory = cluster.Directory.File("deploy") });

        Assert.Equal(
            ["Deployment/fashion-mnist-serving: would be created", "Service/fashion-mnist-serving: would be created",
             "HorizontalPodAutoscaler/fashion-mnist-serving: would be created", "PodDisruptionBudget/fashion-mnist-serving: would be created"],
            result.Changes);
        Assert.Null(await cluster.Client.GetAsync(ResourceType.Deployments, "default", Name, CancellationToken.None));
        Assert.Equal(["deployment.dry-run.yaml", "service.dry-run.yaml", "horizontalpodautoscaler.dry-run.yaml", "poddisruptionbudget.dry-run.yaml"],
            result.ManifestFiles.Select(Path.GetFileName));
        Assert.All(result.ManifestFiles, f => Assert.True(File.Exists(f)));
        Assert.False(File.Exists(cluster.Directory.File("deploy/deployment.yaml")), "a dry run must not write the files that say what was applied");
    }

    [Fact]
    public async Task TheManifestFilesShowWhatWasAppliedAndNotAVersionThatFailed()
    {
        var options = Releases.FastOptions with { ManifestDirectory = cluster.Directory.File("deploy") };
        var deployment = cluster.Directory.File("deploy/deployment.yaml");

        var first = await DeployAsync(Releases.Version("1.0.0"), options);
        Assert.Equal(4, first.ManifestFiles.Count);
        Assert.Contains("fashion-mnist-serving:1.0.0", await File.ReadAllTextAsync(deployment));

        await Assert.ThrowsAsync<KubernetesDeployException>(() => DeployAsync(Releases.Version("2.0.0", image: "127.0.0.1:5000/unpullable"), options));
        Assert.Contains("fashion-mnist-serving:1.0.0", await File.ReadAllTextAsync(deployment));
        Assert.DoesNotContain("2.0.0", await File.ReadAllTextAsync(deployment));

        await Assert.ThrowsAsync<KubernetesApiException>(() => DeployAsync(Releases.Version("3.0.0") with { Namespace = "missing" }, options));
        Assert.DoesNotContain("3.0.0", await File.ReadAllTextAsync(deployment));
    }

    [Fact]
    public async Task ANamespaceThatDoesNotExistIsAClearError()
    {
        var failure = await Assert.ThrowsAsync<KubernetesApiException>(() => DeployAsync(Releases.Version("1.0.0") with { Namespace = "missing" }));

        Assert.Equal(404, failure.StatusCode);
        Assert.Contains("namespaces \"missing\" not found", failure.Message);
        Assert.Contains("apply deployments.apps/fashion-mnist-serving", failure.Message);
    }
}
