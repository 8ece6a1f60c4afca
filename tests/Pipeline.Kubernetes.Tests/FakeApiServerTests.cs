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

    [Fact]
    public async Task InvalidValuesAreRefusedWith422InTheStatusShapeOfTheRealServer()
    {
        var negative = KubernetesJson.ToJson(ManifestGenerator.CreateDeployment(Releases.Version("1.0.0") with { Replicas = 1 }));
        negative["spec"]!["replicas"] = -1;
        negative["metadata"]!["labels"]!["app.kubernetes.io/version"] = "1.0.0+abc";
        using var http = new HttpClient { BaseAddress = cluster.Server.Address };

        var response = await http.PatchAsync("/apis/apps/v1/namespaces/default/deployments/fashion-mnist-serving?fieldManager=test",
            new StringContent(negative.ToJsonString(), Encoding.UTF8, "application/apply-patch+yaml"));
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => cluster.Client.ApplyAsync(negative, "test", true, false, CancellationToken.None));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(("Status", "Failure", "Invalid", 422L), (status["kind"]!.GetValue<string>(), status["status"]!.GetValue<string>(), status["reason"]!.GetValue<string>(), status["code"]!.GetValue<long>()));
        Assert.StartsWith("Deployment.apps \"fashion-mnist-serving\" is invalid: [", status["message"]!.GetValue<string>());
        Assert.Contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0", status["message"]!.GetValue<string>());
        Assert.Contains("metadata.labels: Invalid value: \"1.0.0+abc\": a valid label must be", status["message"]!.GetValue<string>());
        Assert.Equal(("Deployment", "apps", "fashion-mnist-serving"), (status["details"]!["kind"]!.GetValue<string>(), status["details"]!["group"]!.GetValue<string>(), status["details"]!["name"]!.GetValue<string>()));
        Assert.Equal(["metadata.labels", "spec.replicas"], status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).Order());
        Assert.Equal((422, "Invalid"), (error.StatusCode, error.Reason));
        Assert.Null(await cluster.Client.GetAsync(ResourceType.Deployments, "default", "fashion-mnist-serving", CancellationToken.None));
    }

    [Fact]
    public async Task AnApplyNamingAFieldTheSchemaDoesNotDeclareIsRefused()
    {
        var misspelt = KubernetesJson.ToJson(ManifestGenerator.CreateDeployment(Releases.Version("1.0.0")));
        misspelt["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicyy"] = "Always";

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => cluster.Client.ApplyAsync(misspelt, "test", true, false, CancellationToken.None));

        Assert.Contains("failed to create typed patch object (default/fashion-mnist-serving; apps/v1, Kind=Deployment): " +
            ".spec.template.spec.containers[name=\"server\"].imagePullPolicyy: field not declared in schema", error.Message);
        Assert.Null(await cluster.Client.GetAsync(ResourceType.Deployments, "default", "fashion-mnist-serving", CancellationToken.None));
    }

    [Fact]
    public async Task TheScaleSubresourceReadsAndWritesOnlyReplicasAndValidatesThem()
    {
        await ApplyAsync(Releases.Version("1.0.0"));
        using var http = new HttpClient { BaseAddress = cluster.Server.Address };
        const string path = "/apis/apps/v1/namespaces/default/deployments/fashion-mnist-serving/scale";

        var scale = JsonNode.Parse(await http.GetStringAsync(path))!.AsObject();
        scale["spec"]!["replicas"] = -2;
        // Without the read's resourceVersion: the controller moves it on, and a stale one is a 409 before any validation.
        scale["metadata"]!.AsObject().Remove("resourceVersion");
        var negative = await http.PutAsync(path, new StringContent(scale.ToJsonString(), Encoding.UTF8, "application/json"));
        var merged = await http.PatchAsync(path + "?fieldManager=kube-controller-manager",
            new StringContent("{\"spec\":{\"replicas\":3}}", Encoding.UTF8, "application/merge-patch+json"));

        Assert.Equal(("Scale", "autoscaling/v1", "app.kubernetes.io/name=fashion-mnist-serving"),
            (scale["kind"]!.GetValue<string>(), scale["apiVersion"]!.GetValue<string>(), scale["status"]!["selector"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, negative.StatusCode);
        Assert.Contains("Scale.autoscaling \"fashion-mnist-serving\" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0",
            JsonNode.Parse(await negative.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
        Assert.True(merged.IsSuccessStatusCode, await merged.Content.ReadAsStringAsync());
        var deployment = await cluster.DeploymentAsync();
        Assert.Equal(3, deployment["spec"]!["replicas"]!.GetValue<long>());
        Assert.Contains(deployment["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "kube-controller-manager"
            && m["fieldsV1"]!["f:spec"]!["f:replicas"] is not null);
    }

    [Fact]
    public async Task RepeatedEventsAboutOneObjectAreOneEventWithACount()
    {
        await cluster.Deployer.DeployAsync(Releases.Version("1.0.0"), Releases.FastOptions, CancellationToken.None);
        var hpa = (await cluster.Client.GetAsync(ResourceType.HorizontalPodAutoscalers, "default", "fashion-mnist-serving", CancellationToken.None))!;

        await Task.Delay(TimeSpan.FromMilliseconds(1500));

        var warnings = (await cluster.Client.ListAsync(ResourceType.Events, "default", null, CancellationToken.None))
            .Where(e => e["reason"]!.GetValue<string>() == "FailedGetResourceMetric").ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(("HorizontalPodAutoscaler", hpa["metadata"]!["uid"]!.GetValue<string>()),
            (warning["involvedObject"]!["kind"]!.GetValue<string>(), warning["involvedObject"]!["uid"]!.GetValue<string>()));
        Assert.True(warning["count"]!.GetValue<long>() >= 2, warning.ToJsonString());
    }
}
