namespace Pipeline.Kubernetes.Manifests;

/// <summary>A v1 Secret; <see cref="Data"/> values are base64, as the API stores them.</summary>
public sealed record Secret(ObjectMeta Metadata, IReadOnlyDictionary<string, string> Data, string Type = "Opaque") : IKubernetesObject
{
    public string ApiVersion => "v1";
    public string Kind => "Secret";

    /// <summary>Names the keys only: a Secret that reaches a log or an exception must not carry its values there.</summary>
    public override string ToString() => $"Secret {Metadata.Namespace}/{Metadata.Name} ({string.Join(", ", Data.Keys)}: values hidden)";
}
