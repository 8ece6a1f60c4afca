namespace Pipeline.Kubernetes.Tests;

public sealed class ManifestTests
{
    private static readonly KubernetesRelease Release = new("fashion-mnist", "1.2.0", new string('c', 64), "registry.example/fashion-mnist-serving:1.2.0", "serving", 3);

    private static JsonObject Json(IKubernetesObject value) => KubernetesJson.ToJson(value);

    [Fact]
    public void A_SemVer_version_with_build_metadata_becomes_a_valid_label_and_stays_exact_elsewhere()
    {
        var release = Release with { ModelVersion = "20261122.140000+ef8780e" };
        var template = Json(ManifestGenerator.CreateDeployment(release))["spec"]!["template"]!;

        Assert.Empty(release.Validate());
        Assert.Equal("20261122.140000_ef8780e", template["metadata"]!["labels"]![ManifestGenerator.VersionLabel]!.GetValue<string>());
        Assert.Equal("20261122.140000+ef8780e", template["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
        var environment = template["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Contains(environment, e => e!["name"]!.GetValue<string>() == "SERVING_MODEL_VERSION" && e["value"]!.GetValue<string>() == "20261122.140000+ef8780e");
        Assert.NotEmpty((Release with { ModelVersion = "+" }).Validate());
    }

    [Fact]
    public void TheContainerRunsLockedDown()
    {
        var pod = Json(ManifestGenerator.CreateDeployment(Release))["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var security = container["securityContext"]!;

        Assert.False(security["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(security["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.True(security["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(10001, security["runAsUser"]!.GetValue<long>());
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("RuntimeDefault", security["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal("RuntimeDefault", pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        // The only writable place is an emptyDir at /tmp.
        Assert.Equal("/tmp", container["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Equal("tmp", pod["volumes"]![0]!["name"]!.GetValue<string>());
        Assert.NotNull(pod["volumes"]![0]!["emptyDir"]);
        Assert.Equal("1", container["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("256Mi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
    }

    [Fact]
    public void ProbesUseTheInferenceProtocolHealthEndpointsOnTheNamedPort()
    {
        var container = Json(ManifestGenerator.CreateDeployment(Release))["spec"]!["template"]!["spec"]!["containers"]![0]!;

        Assert.Equal(("http", 8080L), (container["ports"]![0]!["name"]!.GetValue<string>(), container["ports"]![0]!["containerPort"]!.GetValue<long>()));
        Assert.Equal("/v2/health/ready", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/v2/health/live", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        // The startup probe is the kubelet's gRPC health check of port 8081 (ApiKeyManifestTests); REST keeps the other two.
        Assert.Equal(8081, container["startupProbe"]!["grpc"]!["port"]!.GetValue<int>());
        Assert.All(new[] { "readinessProbe", "livenessProbe" }, p => Assert.Equal("http", container[p]!["httpGet"]!["port"]!.GetValue<string>()));
        var env = container["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal("8080", env["SERVING_PORT"]);
        Assert.Equal(new string('c', 64), env["SERVING_MODEL_SHA256"]);
        Assert.Equal("1.2.0", env["SERVING_MODEL_VERSION"]);
    }

    [Fact]
    public void RollingUpdateNeverTakesCapacityAwayAndDrainsBeforeStopping()
    {
        var release = Release with { PreStopDrainSeconds = 7, ShutdownTimeoutSeconds = 20 };
        var spec = Json(ManifestGenerator.CreateDeployment(release))["spec"]!;

        Assert.Equal("RollingUpdate", spec["strategy"]!["type"]!.GetValue<string>());
        Assert.Equal(0, spec["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<long>());
        Assert.Equal(1, spec["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<long>());
        Assert.Equal(3, spec["replicas"]!.GetValue<long>());
        var pod = spec["template"]!["spec"]!;
        Assert.Equal(["/bin/sleep", "7"], pod["containers"]![0]!["lifecycle"]!["preStop"]!["exec"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(pod["terminationGracePeriodSeconds"]!.GetValue<long>() > 7 + 20);
    }

    [Fact]
    public void LabelsAndAnnotationsCarryTheModelAndANewVersionChangesOnlyThePodTemplate()
    {
        var v1 = Json(ManifestGenerator.CreateDeployment(Release));
        var v2 = Json(ManifestGenerator.CreateDeployment(Release with { ModelVersion = "1.3.0", Image = "registry.example/fashion-mnist-serving:1.3.0" }));

        var template = v1["spec"]!["template"]!["metadata"]!;
        Assert.Equal("fashion-mnist-serving", template["labels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal("1.2.0", template["labels"]!["app.kubernetes.io/version"]!.GetValue<string>());
        Assert.Equal("mlops-pipeline", template["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal(new string('c', 64), template["annotations"]!["mlops.io/model-sha256"]!.GetValue<string>());
        Assert.Equal("1.2.0", v1["metadata"]!["annotations"]!["mlops.io/model-version"]!.GetValue<string>());
        Assert.Equal("serving", v1["metadata"]!["namespace"]!.GetValue<string>());
        Assert.False(JsonNode.DeepEquals(v1["spec"]!["template"], v2["spec"]!["template"]));
        // The selector is immutable on a Deployment: it must not carry the version.
        Assert.True(JsonNode.DeepEquals(v1["spec"]!["selector"], v2["spec"]!["selector"]));
        Assert.Equal(["app.kubernetes.io/name"], v1["spec"]!["selector"]!["matchLabels"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void ServiceAutoscalerAndDisruptionBudgetTargetThePods()
    {
        var objects = ManifestGenerator.Generate(Release).Select(Json).ToDictionary(o => o["kind"]!.GetValue<string>());

        Assert.Equal(["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"], objects.Keys);
        Assert.Equal("http", objects["Service"]["spec"]!["ports"]![0]!["targetPort"]!.GetValue<string>());
        Assert.Equal("fashion-mnist-serving", objects["Service"]["spec"]!["selector"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal("autoscaling/v2", objects["HorizontalPodAutoscaler"]["apiVersion"]!.GetValue<string>());
        Assert.Equal("fashion-mnist-serving", objects["HorizontalPodAutoscaler"]["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>());
        Assert.Equal(3, objects["HorizontalPodAutoscaler"]["spec"]!["minReplicas"]!.GetValue<long>());
        Assert.Equal("policy/v1", objects["PodDisruptionBudget"]["apiVersion"]!.GetValue<string>());
        Assert.Equal(1, objects["PodDisruptionBudget"]["spec"]!["maxUnavailable"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(10, 2, 1)]
    [InlineData(25, 3, 1)]
    [InlineData(50, 2, 2)]
    [InlineData(75, 2, 6)]
    [InlineData(1, 10, 1)]
    public void A_canary_share_becomes_the_nearest_whole_pod_count_and_never_none(int percent, int stable, int expected) =>
        Assert.Equal(expected, CanaryManifest.ReplicasFor(percent, stable));

    [Fact]
    public void The_canary_Deployment_is_selected_by_the_Service_but_never_selects_the_stable_pods()
    {
        var canary = Json(CanaryManifest.Create(Release, 1));
        var service = Json(ManifestGenerator.CreateService(Release));
        var podLabels = canary["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();

        Assert.Equal("fashion-mnist-serving-canary", canary["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(1, canary["spec"]!["replicas"]!.GetValue<int>());
        // The Service's selector matches the canary pods: that is how they get a share of its traffic.
        Assert.All(service["spec"]!["selector"]!.AsObject(), l => Assert.Equal(l.Value!.GetValue<string>(), podLabels[l.Key]!.GetValue<string>()));
        // The canary's own selector needs the track label, which stable pods do not carry.
        Assert.Equal("canary", canary["spec"]!["selector"]!["matchLabels"]![CanaryManifest.TrackLabel]!.GetValue<string>());
        Assert.Null(Json(ManifestGenerator.CreateDeployment(Release))["spec"]!["template"]!["metadata"]!["labels"]![CanaryManifest.TrackLabel]);
        Assert.Equal(Release.ModelVersion, canary["spec"]!["template"]!["metadata"]!["annotations"]![ManifestGenerator.ModelVersionAnnotation]!.GetValue<string>());
    }

    [Fact]
    public async Task YamlFilesRoundTripToTheSameObjects()
    {
        using var directory = new TemporaryDirectory();
        // A version that looks like a number must stay a string in YAML, or the API server rejects the label.
        var release = Release with { ModelVersion = "2", Image = "registry.example/fashion-mnist-serving:2" };

        var files = await ManifestWriter.WriteAsync(ManifestGenerator.Generate(release), directory.Path, CancellationToken.None);

        Assert.Equal(["deployment.yaml", "service.yaml", "horizontalpodautoscaler.yaml", "poddisruptionbudget.yaml"], files.Select(Path.GetFileName));
        foreach (var (file, value) in files.Zip(ManifestGenerator.Generate(release)))
        {
            var parsed = YamlJson.Parse(await File.ReadAllTextAsync(file));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json(value).ToJsonString()), parsed), $"{file}:\n{await File.ReadAllTextAsync(file)}");
        }

        Assert.Contains("app.kubernetes.io/version: \"2\"", await File.ReadAllTextAsync(files[0]));
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp*"));
    }

    [Fact]
    public void AnInvalidReleaseNamesEveryProblem()
    {
        var bad = new KubernetesRelease("Fashion_MNIST", "1.0 beta", "xyz", "bad image", "default", 0) { MaxReplicas = 0, Resources = new ContainerResources(CpuLimit: "lots") };

        var error = Assert.Throws<ArgumentException>(() => ManifestGenerator.Generate(bad));

        foreach (var expected in new[] { "model name 'Fashion_MNIST'", "model version '1.0 beta'", "SHA-256", "image 'bad image'", "replicas must be at least 1", "cpu limit 'lots'" })
        {
            Assert.Contains(expected, error.Message);
        }
    }
}
