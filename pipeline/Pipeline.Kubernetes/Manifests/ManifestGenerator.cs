namespace Pipeline.Kubernetes.Manifests;

/// <summary>
/// Turns a <see cref="KubernetesRelease"/> into the Deployment, Service, HorizontalPodAutoscaler and
/// PodDisruptionBudget that serve it. The selector holds only the stable name label (a Deployment's selector is
/// immutable); version, SHA-256 and model name go into the pod template, so every new version rolls out.
/// </summary>
public static class ManifestGenerator
{
    public const string ManagedBy = "mlops-pipeline";
    public const string NameLabel = "app.kubernetes.io/name";
    public const string VersionLabel = "app.kubernetes.io/version";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ModelNameAnnotation = "mlops.io/model-name";
    public const string ModelVersionAnnotation = "mlops.io/model-version";
    public const string ModelSha256Annotation = "mlops.io/model-sha256";
    public const string HttpPortName = "http";
    public const int HttpPort = 8080;
    public const string GrpcPortName = "grpc";
    public const int GrpcPort = 8081;
    /// <summary>Cleartext HTTP/2, so a Gateway or mesh in front of the Service speaks gRPC to the pods (KEP-3726's standard value).</summary>
    public const string GrpcAppProtocol = "kubernetes.io/h2c";
    public const string MetricsPath = "/metrics";
    public const string ScrapeAnnotation = "prometheus.io/scrape";
    public const string ScrapePortAnnotation = "prometheus.io/port";
    public const string ScrapePathAnnotation = "prometheus.io/path";

    /// <summary>The image's user (serving/Dockerfile: USER 10001:10001).</summary>
    public const long ImageUserId = 10001;

    /// <summary>
    /// The Deployment leaves spec.replicas to the HorizontalPodAutoscaler that comes with it: a manifest that named
    /// the count would make every server-side apply own it and undo the autoscaler's scaling (as GitOps tools, the
    /// release leaves the field out). <see cref="KubernetesRelease.Replicas"/> is the autoscaler's minimum and the
    /// starting count the deployer hands over.
    /// </summary>
    public static IReadOnlyList<IKubernetesObject> Generate(KubernetesRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        release.EnsureValid();
        // The Secret first: objects are applied in this order, and pods that mount a missing Secret would not start.
        IKubernetesObject[] serving = [CreateDeployment(release, autoscaled: true), CreateService(release), CreateAutoscaler(release), CreateDisruptionBudget(release)];
        return release.ApiKey is { } key ? [ApiKeysSecret.Create(release, key), .. serving] : serving;
    }

    /// <param name="autoscaled">Whether a HorizontalPodAutoscaler owns the replica count; then spec.replicas is left out.</param>
    public static Deployment CreateDeployment(KubernetesRelease release, bool autoscaled = false)
    {
        var selector = SelectorLabels(release);
        var podLabels = Labels(release);
        var annotations = Annotations(release);
        var restricted = new SeccompProfile("RuntimeDefault");
        var container = new Container(
            Name: "server",
            Image: release.Image,
            Ports: [new NamedContainerPort(HttpPortName, HttpPort), new NamedContainerPort(GrpcPortName, GrpcPort)],
            Env: ServingEnvironment(release),
            Resources: new ResourceRequirements(
                new Dictionary<string, string> { ["cpu"] = release.Resources.CpuRequest, ["memory"] = release.Resources.MemoryRequest },
                new Dictionary<string, string> { ["cpu"] = release.Resources.CpuLimit, ["memory"] = release.Resources.MemoryLimit }),
            // Loading and warming the model may take a while; liveness only starts counting once it is up. Started means
            // both listeners answer: the gRPC port through the kubelet's own grpc.health.v1 check, REST through the HTTP probes.
            // A startup probe, not a liveness one: the server's gRPC health is its readiness, which drops while it drains,
            // and a liveness probe failing then would kill a pod that is shutting down properly.
            StartupProbe: new Probe(null, PeriodSeconds: 2, TimeoutSeconds: 2, FailureThreshold: 60, Grpc: new GrpcAction(GrpcPort)),
            ReadinessProbe: new Probe(new HttpGetAction("/v2/health/ready", HttpPortName), PeriodSeconds: 5, TimeoutSeconds: 2, FailureThreshold: 2,
                SuccessThreshold: 1),
            LivenessProbe: new Probe(new HttpGetAction("/v2/health/live", HttpPortName), PeriodSeconds: 10, TimeoutSeconds: 2, FailureThreshold: 3),
            Lifecycle: new Lifecycle(new LifecycleHandler(new ExecAction(["/bin/sleep", release.PreStopDrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]))),
            SecurityContext: new SecurityContext(
                AllowPrivilegeEscalation: false, ReadOnlyRootFilesystem: true, RunAsNonRoot: true, RunAsUser: ImageUserId, RunAsGroup: ImageUserId,
                Capabilities: new Capabilities(["ALL"]), SeccompProfile: restricted),
            VolumeMounts: release.ApiKey is null ? [new VolumeMount("tmp", "/tmp")] : [new VolumeMount("tmp", "/tmp"), ApiKeysSecret.Mount]);

        var pod = new PodSpec(
            Containers: [container],
            SecurityContext: new PodSecurityContext(RunAsNonRoot: true, RunAsUser: ImageUserId, RunAsGroup: ImageUserId, FsGroup: ImageUserId, restricted),
            // The server writes only to /tmp; the root file system stays read-only.
            Volumes: release.ApiKey is null
                ? [new Volume("tmp", new EmptyDirVolumeSource(release.Resources.TmpSizeLimit))]
                : [new Volume("tmp", new EmptyDirVolumeSource(release.Resources.TmpSizeLimit)), ApiKeysSecret.Volume(release)],
            // preStop sleep, then the server's drain, then a margin before SIGKILL.
            TerminationGracePeriodSeconds: release.PreStopDrainSeconds + release.ShutdownTimeoutSeconds + 5);

        return new Deployment(
            new ObjectMeta(release.Name, release.Namespace, podLabels, annotations),
            new DeploymentSpec(
                Replicas: autoscaled ? null : release.Replicas,
                Selector: new LabelSelector(selector),
                Strategy: new DeploymentStrategy("RollingUpdate", new RollingUpdateDeployment(MaxUnavailable: 0, MaxSurge: 1)),
                Template: new PodTemplateSpec(new ObjectMeta(release.Name, Labels: podLabels, Annotations: PodAnnotations(release)), pod),
                RevisionHistoryLimit: 10,
                ProgressDeadlineSeconds: release.ProgressDeadlineSeconds,
                MinReadySeconds: 0));
    }

    public static Service CreateService(KubernetesRelease release) =>
        new(new ObjectMeta(release.Name, release.Namespace, Labels(release), Annotations(release)),
            new ServiceSpec("ClusterIP", SelectorLabels(release),
                [new ServicePort(HttpPortName, 80, HttpPortName), new ServicePort(GrpcPortName, GrpcPort, GrpcPortName, AppProtocol: GrpcAppProtocol)]));

    public static HorizontalPodAutoscaler CreateAutoscaler(KubernetesRelease release) =>
        new(new ObjectMeta(release.Name, release.Namespace, Labels(release), Annotations(release)),
            new HorizontalPodAutoscalerSpec(
                new CrossVersionObjectReference("apps/v1", "Deployment", release.Name),
                MinReplicas: release.Replicas,
                MaxReplicas: release.MaxReplicas,
                Metrics: [new MetricSpec("Resource", new ResourceMetricSource("cpu", new MetricTarget("Utilization", release.TargetCpuUtilizationPercent)))]));

    /// <summary>Voluntary evictions (node drains) take one pod at a time, so the others keep serving.</summary>
    public static PodDisruptionBudget CreateDisruptionBudget(KubernetesRelease release) =>
        new(new ObjectMeta(release.Name, release.Namespace, Labels(release), Annotations(release)),
            new PodDisruptionBudgetSpec(new LabelSelector(SelectorLabels(release)), MaxUnavailable: 1));

    public static IReadOnlyDictionary<string, string> SelectorLabels(KubernetesRelease release) =>
        new Dictionary<string, string> { [NameLabel] = release.Name };

    private static Dictionary<string, string> Labels(KubernetesRelease release) => new()
    {
        [NameLabel] = release.Name,
        [VersionLabel] = release.VersionLabel,
        [ComponentLabel] = "model-server",
        [ManagedByLabel] = ManagedBy,
    };

    private static Dictionary<string, string> Annotations(KubernetesRelease release) => new()
    {
        [ModelNameAnnotation] = release.ModelName,
        [ModelVersionAnnotation] = release.ModelVersion,
        [ModelSha256Annotation] = release.ModelSha256,
    };

    /// <summary>
    /// The pods also say where their metrics are, for Prometheus setups that discover pods by these annotations (the
    /// ServiceMonitor in <see cref="MonitoringManifests"/> is the Prometheus Operator's way to the same endpoint).
    /// </summary>
    private static Dictionary<string, string> PodAnnotations(KubernetesRelease release) => new(Annotations(release))
    {
        [ScrapeAnnotation] = "true",
        [ScrapePortAnnotation] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [ScrapePathAnnotation] = MetricsPath,
    };

    /// <summary>
    /// The image already sets the model path, name, version, SHA-256 and port; the pod repeats the ones the
    /// manifests depend on so that the running server provably matches the release (the SHA-256 makes it refuse a
    /// different model file) and the probes' port.
    /// </summary>
    private static IReadOnlyList<EnvVar> ServingEnvironment(KubernetesRelease release) =>
    [
        new("SERVING_PORT", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("SERVING_GRPC_PORT", GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        // The path of the mounted key file, never a key: env is readable by anyone who may read the Deployment.
        .. release.ApiKey is null ? (EnvVar[])[] : [ApiKeysSecret.Environment],
        new("SERVING_MODEL_NAME", release.ModelName),
        new("SERVING_MODEL_VERSION", release.ModelVersion),
        new("SERVING_MODEL_SHA256", release.ModelSha256),
        new("SERVING_LOG_FORMAT", "json"),
        new("SERVING_SHUTDOWN_TIMEOUT_SECONDS", release.ShutdownTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
