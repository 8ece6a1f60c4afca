namespace Pipeline.Kubernetes.Manifests;

public sealed record PodSpec(
    IReadOnlyList<Container> Containers,
    PodSecurityContext SecurityContext,
    IReadOnlyList<Volume> Volumes,
    int TerminationGracePeriodSeconds,
    bool AutomountServiceAccountToken = false,
    bool EnableServiceLinks = false);

public sealed record Container(
    string Name,
    string Image,
    IReadOnlyList<NamedContainerPort> Ports,
    IReadOnlyList<EnvVar> Env,
    ResourceRequirements Resources,
    Probe StartupProbe,
    Probe ReadinessProbe,
    Probe LivenessProbe,
    Lifecycle Lifecycle,
    SecurityContext SecurityContext,
    IReadOnlyList<VolumeMount> VolumeMounts,
    string ImagePullPolicy = "IfNotPresent");

public sealed record NamedContainerPort(string Name, int ContainerPort, string Protocol = "TCP");

public sealed record EnvVar(string Name, string Value);

/// <summary>Quantities as the API writes them ("250m", "256Mi").</summary>
public sealed record ResourceRequirements(IReadOnlyDictionary<string, string> Requests, IReadOnlyDictionary<string, string> Limits);

/// <summary>Exactly one of <see cref="HttpGet"/> and <see cref="Grpc"/> is set.</summary>
public sealed record Probe(
    HttpGetAction? HttpGet,
    int PeriodSeconds,
    int TimeoutSeconds,
    int FailureThreshold,
    int? InitialDelaySeconds = null,
    int? SuccessThreshold = null,
    GrpcAction? Grpc = null);

/// <summary><see cref="Port"/> is the container port's name.</summary>
public sealed record HttpGetAction(string Path, string Port, string Scheme = "HTTP");

/// <summary>
/// The kubelet's native gRPC probe (grpc.health.v1.Health/Check); the port must be a number, not a name. Service ""
/// asks about the server as a whole. It is always written: the API server defaults it to "" and kubectl writes the
/// field back on rollout undo, so leaving it out would make kubectl's and the pipeline's pod templates differ.
/// </summary>
public sealed record GrpcAction(int Port, string Service = "");

public sealed record Lifecycle(LifecycleHandler PreStop);

public sealed record LifecycleHandler(ExecAction Exec);

public sealed record ExecAction(IReadOnlyList<string> Command);

public sealed record SecurityContext(
    bool AllowPrivilegeEscalation,
    bool ReadOnlyRootFilesystem,
    bool RunAsNonRoot,
    long RunAsUser,
    long RunAsGroup,
    Capabilities Capabilities,
    SeccompProfile SeccompProfile);

public sealed record Capabilities(IReadOnlyList<string> Drop);

public sealed record SeccompProfile(string Type);

public sealed record PodSecurityContext(bool RunAsNonRoot, long RunAsUser, long RunAsGroup, long FsGroup, SeccompProfile SeccompProfile);

/// <summary>Exactly one source is set.</summary>
public sealed record Volume(string Name, EmptyDirVolumeSource? EmptyDir = null, SecretVolumeSource? Secret = null);

public sealed record EmptyDirVolumeSource(string? SizeLimit = null);

/// <summary><see cref="DefaultMode"/> is the files' mode as a number (the API's JSON has no octal: 0440 is 288).</summary>
public sealed record SecretVolumeSource(string SecretName, int DefaultMode, IReadOnlyList<KeyToPath>? Items = null);

public sealed record KeyToPath(string Key, string Path);

public sealed record VolumeMount(string Name, string MountPath, bool? ReadOnly = null);
