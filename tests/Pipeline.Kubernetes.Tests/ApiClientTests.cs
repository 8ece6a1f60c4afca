namespace Pipeline.Kubernetes.Tests;

/// <summary>The KubernetesClient-based port against the fake API server: watches, and API errors as the project's messages.</summary>
public sealed class ApiClientTests : IAsyncLifetime
{
    private FakeCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private Task<JsonObject> ApplyServiceAsync(KubernetesRelease release, string manager = "mlops-pipeline", bool force = true) =>
        cluster.Client.ApplyAsync(KubernetesJson.ToJson(ManifestGenerator.CreateService(release)), manager, force, dryRun: false, CancellationToken.None);

    [Fact]
    public async Task AWatchSeesWhatExistsThenChangesOfTheSelectedObjectsOnly()
    {
        var release = Releases.Version("1.0.0");
        await ApplyServiceAsync(release);
        await ApplyServiceAsync(release with { ModelName = "other-model" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<KubernetesWatchEvent>();

        await foreach (var change in cluster.Client.WatchAsync(ResourceType.Services, "default", $"{ManifestGenerator.NameLabel}={release.Name}", null, timeout.Token))
        {
            events.Add(change);
            if (events.Count == 1)
            {
                await ApplyServiceAsync(release with { ModelName = "other-model", ModelVersion = "9.9.9" });
                await ApplyServiceAsync(release with { ModelVersion = "1.0.1" });
            }

            if (events.Count == 2) break;
        }

        Assert.Equal(["ADDED", "MODIFIED"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(("Service", "fashion-mnist-serving"), (e.Object["kind"]!.GetValue<string>(), e.Object["metadata"]!["name"]!.GetValue<string>())));
        Assert.Equal("1.0.1", events[1].Object["metadata"]!["labels"]![ManifestGenerator.VersionLabel]!.GetValue<string>());
    }

    [Fact]
    public async Task AWatchFromAResourceVersionSendsOnlyLaterChanges()
    {
        var release = Releases.Version("1.0.0");
        var created = await ApplyServiceAsync(release);
        await ApplyServiceAsync(release with { ModelVersion = "1.0.1" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var first = await cluster.Client.WatchAsync(ResourceType.Services, "default", null, created["metadata"]!["resourceVersion"]!.GetValue<string>(), timeout.Token)
            .FirstAsync(timeout.Token);

        Assert.Equal("MODIFIED", first.Type);
        Assert.Equal("1.0.1", first.Object["metadata"]!["labels"]![ManifestGenerator.VersionLabel]!.GetValue<string>());
    }

    [Fact]
    public async Task ConflictsInvalidChangesAndMissingObjectsAreTheServersMessageWithAHint()
    {
        var release = Releases.Version("1.0.0");
        await ApplyServiceAsync(release);

        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => ApplyServiceAsync(release with { ModelVersion = "2.0.0" }, manager: "someone-else", force: false));
        var missing = await Assert.ThrowsAsync<KubernetesApiException>(() => cluster.Client.JsonPatchAsync(
            ResourceType.Deployments, "default", "absent", [new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels/x", ["value"] = "y" }], "mlops-pipeline", CancellationToken.None));
        var invalid = await Assert.ThrowsAsync<KubernetesApiException>(() => cluster.Client.JsonPatchAsync(
            ResourceType.Services, "default", release.Name, [new JsonObject { ["op"] = "test", ["path"] = "/metadata/name", ["value"] = "wrong" }], "mlops-pipeline", CancellationToken.None));

        Assert.Equal((409, "Conflict"), (conflict.StatusCode, conflict.Reason));
        Assert.Contains("apply services/fashion-mnist-serving: 409 Conflict: ", conflict.Message);
        Assert.Contains("Another field manager owns these fields", conflict.Message);
        Assert.Equal((404, "NotFound"), (missing.StatusCode, missing.Reason));
        Assert.Contains("\"absent\" not found", missing.Message);
        Assert.Contains("Check the namespace exists", missing.Message);
        Assert.Equal((422, "Invalid"), (invalid.StatusCode, invalid.Reason));
        Assert.Contains("the JSON patch test at '/metadata/name' failed", invalid.Message);
        Assert.Contains("fix what the message names", invalid.Message);
    }
}
