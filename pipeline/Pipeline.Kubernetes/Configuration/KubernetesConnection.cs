using k8s;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>
/// A KubernetesClient configuration with what messages need: <see cref="Source"/> (file and context, or in-cluster)
/// and <see cref="CredentialsDescription"/> (how credentials are obtained); neither ever contains a credential.
/// </summary>
public sealed record KubernetesConnection(KubernetesClientConfiguration Configuration, string Namespace, string Source, string CredentialsDescription)
{
    public Uri Server => new(Configuration.Host);

    public override string ToString() => $"{Server} ({Source}, namespace {Namespace})";
}

public sealed class KubernetesConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
