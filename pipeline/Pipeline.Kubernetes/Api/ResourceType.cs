namespace Pipeline.Kubernetes.Api;

/// <summary>A REST resource: where its objects live in the API (/api/v1 or /apis/group/version) and its plural name.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "Deployment");
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet");
    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod");
    public static readonly ResourceType Events = new("", "v1", "events", "Event");
    public static readonly ResourceType Services = new("", "v1", "services", "Service");
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret");
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", Namespaced: false);
    public static readonly ResourceType HorizontalPodAutoscalers = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler");
    public static readonly ResourceType PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget");

    public static IReadOnlyList<ResourceType> Known { get; } =
        [Deployments, ReplicaSets, Pods, Events, Services, Secrets, Namespaces, HorizontalPodAutoscalers, PodDisruptionBudgets];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>As kubectl names it in messages: deployments.apps, services.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static ResourceType ForObject(string apiVersion, string kind) =>
        Known.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind)
        ?? throw new ArgumentException($"No REST mapping for {kind} {apiVersion}; known kinds: {string.Join(", ", Known.Select(t => $"{t.Kind} {t.ApiVersion}"))}.");

    /// <summary>/api/v1/namespaces/ns/pods or /apis/apps/v1/namespaces/ns/deployments/name.</summary>
    public string Path(string? @namespace, string? name = null)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        var scope = Namespaced ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace ?? throw new ArgumentNullException(nameof(@namespace)))}" : root;
        return name is null ? $"{scope}/{Plural}" : $"{scope}/{Plural}/{Uri.EscapeDataString(name)}";
    }
}
