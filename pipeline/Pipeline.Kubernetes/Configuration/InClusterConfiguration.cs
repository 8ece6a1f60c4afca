using k8s;
using k8s.Authentication;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>
/// The configuration a pod has: KUBERNETES_SERVICE_HOST/PORT and the service account's token, CA and namespace
/// under <paramref name="serviceAccountDirectory"/>. Built from KubernetesClient's parts (TokenFileAuth re-reads the
/// rotated token) rather than <see cref="KubernetesClientConfiguration.InClusterConfig"/>,
/// which reads the process environment and a fixed directory (so no test could run it outside a pod) and keeps the
/// namespace file's trailing newline.
/// </summary>
public sealed class InClusterConfiguration(Func<string, string?> environment, string serviceAccountDirectory = InClusterConfiguration.DefaultServiceAccountDirectory)
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public bool IsAvailable => environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 } && environment("KUBERNETES_SERVICE_PORT") is { Length: > 0 };

    public async Task<KubernetesConnection> LoadAsync(string? namespaceOverride, CancellationToken cancellationToken)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConfigurationException("Not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set.");
        }

        if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubernetesConfigurationException($"KUBERNETES_SERVICE_PORT '{port}' is not a TCP port number.");
        }

        var tokenPath = Path.Combine(serviceAccountDirectory, "token");
        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        foreach (var required in new[] { tokenPath, caPath })
        {
            if (!File.Exists(required))
            {
                throw new KubernetesConfigurationException(
                    $"In-cluster configuration needs '{required}', which does not exist: is a service account token mounted (automountServiceAccountToken)?");
            }
        }

        var namespacePath = Path.Combine(serviceAccountDirectory, "namespace");
        var podNamespace = File.Exists(namespacePath) ? (await File.ReadAllTextAsync(namespacePath, cancellationToken)).Trim() : "";
        var hostPart = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        var configuration = new KubernetesClientConfiguration
        {
            Host = $"https://{hostPart}:{portNumber}",
            TokenProvider = new TokenFileAuth(tokenPath),
            SslCaCerts = await AuthorityAsync(caPath, cancellationToken),
            Namespace = namespaceOverride ?? (podNamespace.Length > 0 ? podNamespace : "default"),
        };
        return new KubernetesConnection(configuration, configuration.Namespace, $"in-cluster service account ({serviceAccountDirectory})", $"token file {tokenPath}");
    }

    private static async Task<System.Security.Cryptography.X509Certificates.X509Certificate2Collection> AuthorityAsync(string path, CancellationToken cancellationToken)
    {
        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new KubernetesConfigurationException($"The service account CA '{path}' is not a PEM certificate.", e);
        }

        return authorities.Count > 0 ? authorities : throw new KubernetesConfigurationException($"The service account CA '{path}' contains no PEM certificate.");
    }
}
