using System.Net;
using System.Text;

namespace Pipeline.Kubernetes.Tests;

/// <summary>The fake's own bookkeeping, which kubectl and the deployer rely on: versions, generations, ownership, cascades.</summary>
public sealed class FakeApiServerTests : IAsyncLifetime
{
    private FakeCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private Task<JsonObject> ApplyAsync(KubernetesRelease release, string manager = "mlops-pipeline", bool force = true) =>
        cluster.Client.ApplyAsync(KubernetesJson.ToJson(ManifestGenerator.CreateDeployment(release)), manager, force, dryRun: false, CancellationToken.None);

    private static long Number(JsonObject value, string field) => long.Parse(value["metadata"]![field]!.GetValue<string>().Length > 0 ? value["metadata"]![field]!.ToString() : "0", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ResourceVersionMovesOnEveryChangeAndGenerationOnlyOnSpecChanges()
    {
        var release = Releases.Version("1.0.0");
        var created = await cluster.Client.ApplyAsync(KubernetesJson.ToJson(ManifestGenerator.CreateService(release)), "mlops-pipeline", true, false, CancellationToken.None);
        var same = await cluster.Client.ApplyAsync(KubernetesJson.ToJson(ManifestGenerator.CreateService(release)), "mlops-pipeline", true, false, CancellationToken.None);
        var relabelled = await cluster.Client.ApplyAsync(
            KubernetesJson.ToJson(ManifestGenerator.CreateService(release with { ModelVersion = "1.0.1" })), "mlops-pipeline", true, false, CancellationToken.None);
        var respecified = await cluster.Client.ApplyAsync(
            KubernetesJson.ToJson(ManifestGenerator.CreateService(release with { ModelName = "fashion-mnist", Replicas = 3 }) with
            {
                Spec = ManifestGenerator.CreateService(release).Spec with { Type = "NodePort" },
            }), "mlops-pipeline", true, false, CancellationToken.None);

        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), same["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.True(Number(relabelled, "resourceVersion") > Number(created, "resourceVersion"));
        Assert.Equal((1L, 1L), (created["metadata"]!["generation"]!.GetValue<long>(), relabelled["metadata"]!["generation"]!.GetValue<long>()));
        Assert.Equal(2L, respecified["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), respecified["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFieldAManagerStopsApplyingIsRemovedUnlessAnotherManagerOwnsIt()
    {
        var release = Releases.Version("1.0.0");
        var withAnnotation = KubernetesJson.ToJson(ManifestGenerator.CreateDeployment(release));
        withAnnotation["metadata"]!["annotations"]!["example.com/note"] = "temporary";
        await cluster.Client.ApplyAsync(withAnnotation, "mlops-pipeline", true, false, CancellationToken.None);

        var reapplied = await ApplyAsync(release);
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => ApplyAsync(release with { Replicas = 5 }, manager: "someone-else", force: false));

        Assert.Null(reapplied["metadata"]!["annotations"]!["example.com/note"]);
        Assert.Equal((409, "Conflict"), (conflict.StatusCode, conflict.Reason));
        Assert.Contains("conflict with \"mlops-pipeline\": .spec.replicas", conflict.Message);
        Assert.Contains(reapplied["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "mlops-pipeline"
            && m["fieldsV1"]!["f:spec"]!["f:replicas"] is not null);
    }

    [Fact]
    public async Task AStaleUpdateIsRefusedAndDeletingADeploymentTakesItsReplicaSetsAndPods()
    {
        await cluster.Deployer.DeployAsync(Releases.Version("1.0.0"), Releases.FastOptions, CancellationToken.None);
        var stale = await cluster.DeploymentAsync();
        await ApplyAsync(Releases.Version("1.0.0") with { Replicas = 3 });
        using var http = new HttpClient { BaseAddress = cluster.Server.Address };
        stale.Remove("status");

        var put = await http.PutAsync("/apis/apps/v1/namespaces/default/deployments/fashion-mnist-serving",
            new StringContent(stale.ToJsonString(), Encoding.UTF8, "application/json"));
        var delete = await cluster.Kubectl.RunAsync("delete", "deployment", "fashion-mnist-serving");

        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Contains("the object has been modified", await put.Content.ReadAsStringAsync());
        Assert.True(delete.Succeeded, delete.StandardError);
        Assert.Empty(await cluster.Client.ListAsync(ResourceType.ReplicaSets, "default", null, CancellationToken.None));
        Assert.Empty(await cluster.Client.ListAsync(ResourceType.Pods, "default", null, CancellationToken.None));
    }
}
