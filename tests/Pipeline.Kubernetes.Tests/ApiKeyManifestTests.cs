using System.Text;
using Pipeline.IO;

namespace Pipeline.Kubernetes.Tests;

/// <summary>The serving pods' API key Secret, its read-only mount, and the REST and gRPC ports and probes (issue #16).</summary>
public sealed class ApiKeyManifestTests
{
    internal static readonly ServingApiKey Key = new("pipeline-kubernetes", "k8s-secret-" + Guid.NewGuid().ToString("N"));
    private static readonly KubernetesRelease Release = Releases.Version("1.0.0") with { ApiKey = Key };

    private static JsonObject Json(IKubernetesObject value) => KubernetesJson.ToJson(value);

    [Fact]
    public void The_Secret_comes_first_and_holds_the_key_file_under_api_keys()
    {
        var objects = ManifestGenerator.Generate(Release).Select(Json).ToList();

        Assert.Equal(["Secret", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"], objects.Select(o => o["kind"]!.GetValue<string>()));
        var secret = objects[0];
        Assert.Equal("fashion-mnist-serving-api-keys", secret["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("Opaque", secret["type"]!.GetValue<string>());
        Assert.Equal(["api-keys"], secret["data"]!.AsObject().Select(p => p.Key));
        var file = Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["api-keys"]!.GetValue<string>()));
        Assert.Contains($"\npipeline-kubernetes:{Key.Secret}\n", file);
        Assert.DoesNotContain(Key.Secret, ApiKeysSecret.Create(Release, Key).ToString());
    }

    [Fact]
    public void The_pod_reads_the_key_from_a_read_only_0440_file_its_group_owns_and_never_from_env()
    {
        var deployment = Json(ManifestGenerator.CreateDeployment(Release));
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;

        var volume = pod["volumes"]!.AsArray().Single(v => v!["secret"] is not null)!;
        Assert.Equal("fashion-mnist-serving-api-keys", volume["secret"]!["secretName"]!.GetValue<string>());
        Assert.Equal(Convert.ToInt32("440", 8), volume["secret"]!["defaultMode"]!.GetValue<int>());
        Assert.Equal(("api-keys", "serving-api-keys"),
            (volume["secret"]!["items"]![0]!["key"]!.GetValue<string>(), volume["secret"]!["items"]![0]!["path"]!.GetValue<string>()));
        var mount = container["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == volume["name"]!.GetValue<string>())!;
        Assert.Equal("/run/secrets", mount["mountPath"]!.GetValue<string>());
        Assert.True(mount["readOnly"]!.GetValue<bool>());
        // fsGroup makes the image's group own the projected files, so 0440 is readable by user 10001.
        Assert.Equal(10001, pod["securityContext"]!["fsGroup"]!.GetValue<long>());
        var env = container["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal("/run/secrets/serving-api-keys", env["SERVING_API_KEYS_FILE"]);
        Assert.DoesNotContain(Key.Secret, deployment.ToJsonString());
        Assert.DoesNotContain(Key.Secret, ManifestWriter.ToYaml(ManifestGenerator.CreateDeployment(Release)));
    }

    [Fact]
    public void Without_a_key_there_is_no_Secret_to_wait_for()
    {
        var objects = ManifestGenerator.Generate(Release with { ApiKey = null }).Select(Json).ToList();

        Assert.DoesNotContain(objects, o => o["kind"]!.GetValue<string>() == "Secret");
        var pod = objects.Single(o => o["kind"]!.GetValue<string>() == "Deployment")["spec"]!["template"]!["spec"]!;
        Assert.All(pod["volumes"]!.AsArray(), v => Assert.Null(v!["secret"]));
        Assert.DoesNotContain(pod["containers"]![0]!["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "SERVING_API_KEYS_FILE");
    }

    [Fact]
    public void Pods_expose_http_and_grpc_and_the_kubelet_checks_grpc_health_before_the_http_probes_count()
    {
        var objects = ManifestGenerator.Generate(Release).Select(Json).ToDictionary(o => o["kind"]!.GetValue<string>());
        var container = objects["Deployment"]["spec"]!["template"]!["spec"]!["containers"]![0]!;

        var ports = container["ports"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["containerPort"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["http"] = 8080, ["grpc"] = 8081 }, ports);
        Assert.Equal(8081, container["startupProbe"]!["grpc"]!["port"]!.GetValue<int>());
        Assert.Null(container["startupProbe"]!["httpGet"]);
        Assert.Equal(("/v2/health/ready", "http"), (container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>(), container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>()));
        Assert.Equal(("/v2/health/live", "http"), (container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>(), container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>()));
        var env = container["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal("8081", env["SERVING_GRPC_PORT"]);

        var servicePorts = objects["Service"]["spec"]!["ports"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>());
        Assert.Equal((80, "http"), (servicePorts["http"]!["port"]!.GetValue<int>(), servicePorts["http"]!["targetPort"]!.GetValue<string>()));
        Assert.Null(servicePorts["http"]!["appProtocol"]);
        Assert.Equal((8081, "grpc", "kubernetes.io/h2c"),
            (servicePorts["grpc"]!["port"]!.GetValue<int>(), servicePorts["grpc"]!["targetPort"]!.GetValue<string>(), servicePorts["grpc"]!["appProtocol"]!.GetValue<string>()));
    }

    [Fact]
    public void The_canary_Deployment_mounts_the_same_Secret_with_the_same_ports_and_probes()
    {
        var stable = Json(ManifestGenerator.CreateDeployment(Release))["spec"]!["template"]!["spec"]!;
        var canary = Json(CanaryManifest.Create(Release, 1))["spec"]!["template"]!["spec"]!;

        Assert.True(JsonNode.DeepEquals(stable, canary), "the canary pods run exactly the stable pod spec of the new version");
        Assert.Contains(canary["volumes"]!.AsArray(), v => v!["secret"]?["secretName"]?.GetValue<string>() == "fashion-mnist-serving-api-keys");
    }
}
