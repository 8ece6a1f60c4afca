namespace Pipeline.Kubernetes.Manifests;

// The subset of the Kubernetes object schema the serving release uses. Property names map to the API's camelCase
// JSON names through KubernetesJson; null properties are left out, as kubectl leaves out unset fields.

/// <summary>Any object the generator emits: apiVersion, kind and metadata are what server-side apply keys on.</summary>
public interface IKubernetesObject
{
    string ApiVersion { get; }
    string Kind { get; }
    ObjectMeta Metadata { get; }
}

public sealed record ObjectMeta(
    string Name,
    string? Namespace = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyDictionary<string, string>? Annotations = null);

public sealed record LabelSelector(IReadOnlyDictionary<string, string> MatchLabels);

public sealed record Deployment(ObjectMeta Metadata, DeploymentSpec Spec) : IKubernetesObject
{
    public string ApiVersion => "apps/v1";
    public string Kind => "Deployment";
}

/// <summary><see cref="Replicas"/> is null when a HorizontalPodAutoscaler owns the count (see <see cref="ManifestGenerator.Generate"/>).</summary>
public sealed record DeploymentSpec(
    int? Replicas,
    LabelSelector Selector,
    DeploymentStrategy Strategy,
    PodTemplateSpec Template,
    int? RevisionHistoryLimit = null,
    int? ProgressDeadlineSeconds = null,
    int? MinReadySeconds = null);

public sealed record DeploymentStrategy(string Type, RollingUpdateDeployment? RollingUpdate = null);

/// <summary>Counts, not percentages: the release always means whole pods.</summary>
public sealed record RollingUpdateDeployment(int MaxUnavailable, int MaxSurge);

public sealed record PodTemplateSpec(ObjectMeta Metadata, PodSpec Spec);

public sealed record Service(ObjectMeta Metadata, ServiceSpec Spec) : IKubernetesObject
{
    public string ApiVersion => "v1";
    public string Kind => "Service";
}

public sealed record ServiceSpec(string Type, IReadOnlyDictionary<string, string> Selector, IReadOnlyList<ServicePort> Ports);

/// <summary><see cref="TargetPort"/> names the container port, so the Service follows the pod's port by name.</summary>
public sealed record ServicePort(string Name, int Port, string TargetPort, string Protocol = "TCP", string? AppProtocol = null);

public sealed record HorizontalPodAutoscaler(ObjectMeta Metadata, HorizontalPodAutoscalerSpec Spec) : IKubernetesObject
{
    public string ApiVersion => "autoscaling/v2";
    public string Kind => "HorizontalPodAutoscaler";
}

public sealed record HorizontalPodAutoscalerSpec(
    CrossVersionObjectReference ScaleTargetRef, int MinReplicas, int MaxReplicas, IReadOnlyList<MetricSpec> Metrics);

public sealed record CrossVersionObjectReference(string ApiVersion, string Kind, string Name);

public sealed record MetricSpec(string Type, ResourceMetricSource Resource);

public sealed record ResourceMetricSource(string Name, MetricTarget Target);

public sealed record MetricTarget(string Type, int AverageUtilization);

public sealed record PodDisruptionBudget(ObjectMeta Metadata, PodDisruptionBudgetSpec Spec) : IKubernetesObject
{
    public string ApiVersion => "policy/v1";
    public string Kind => "PodDisruptionBudget";
}

public sealed record PodDisruptionBudgetSpec(LabelSelector Selector, int MaxUnavailable);
