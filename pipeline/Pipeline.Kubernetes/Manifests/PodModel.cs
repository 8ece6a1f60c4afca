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

public sealed record Probe(
    HttpGetAction HttpGet,
    int PeriodSeconds,
    int TimeoutSeconds,
    int FailureThreshold,
    int? InitialDelaySeconds = null,
    int? SuccessThreshold = null);

/// <summary><see cref="Port"/> is the container port's name.</summary>
public sealed record HttpGetAction(string Path, string Port, string Scheme = "HTTP");

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

public sealed record Volume(string Name, EmptyDirVolumeSource EmptyDir);

public sealed record EmptyDirVolumeSource(string? SizeLimit = null);

public sealed record VolumeMount(string Name, string MountPath);
