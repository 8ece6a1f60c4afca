using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.ModelRegistry;

/// <summary>
/// Where a production version runs: an environment name alone (<c>local</c>: one Docker engine), or for a cluster the
/// environment with the cluster (its API server, which every kubeconfig context for it resolves to) and namespace,
/// so two namespaces or clusters of one environment keep separate records instead of overwriting each other's.
/// </summary>
public sealed partial record ReleaseTarget(string Environment, string? Cluster = null, string? Namespace = null)
{
    /// <summary>
    /// The model whose production this is, when one registry serves several (each model name has its own production
    /// pointer and history, so deploying one never moves another's); null for the environment-wide record.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>
    /// A cluster namespace, the cluster named by its API server as scheme://host:port/path without a trailing slash,
    /// so every client (and the build, reading only the kubeconfig) names it the same.
    /// </summary>
    public static ReleaseTarget ForCluster(string environment, Uri server, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(server);
        var cluster = server.IsAbsoluteUri ? server.GetLeftPart(UriPartial.Path).TrimEnd('/') : server.ToString();
        return new ReleaseTarget(environment, cluster, @namespace);
    }

    /// <summary>The record's name: the environment alone, "kubernetes@127.0.0.1-6443-1a2b3c4d@serving" for a cluster namespace, prefixed "penguins+" for one model's.</summary>
    public string Key
    {
        get
        {
            Validate();
            var place = Cluster is null ? Environment : $"{Environment}@{ClusterSlug(Cluster)}@{Namespace}";
            return Model is null ? place : $"{Model}+{place}";
        }
    }

    /// <summary>For messages: "kubernetes", "penguins in local" or "kubernetes (https://127.0.0.1:6443, namespace serving)".</summary>
    public override string ToString() =>
        (Model is null ? "" : $"{Model} in ") + (Cluster is null ? Environment : $"{Environment} ({Cluster}, namespace {Namespace})");

    public void Validate()
    {
        EnvironmentNames.Validate(Environment);
        if ((Cluster is null) != (Namespace is null))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"A release target names a cluster and a namespace together, or neither (got cluster '{Cluster}', namespace '{Namespace}').");
        }

        if (Model is not null && !NamespacePattern().IsMatch(Model))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"'{Model}' is not a model name: use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit.");
        }

        if (Namespace is not null && !NamespacePattern().IsMatch(Namespace))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest,
                $"'{Namespace}' is not a Kubernetes namespace: use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit.");
        }

        if (Cluster is not null && string.IsNullOrWhiteSpace(Cluster))
        {
            throw new ModelRegistryException(ModelRegistryError.InvalidRequest, "A release target's cluster must name its API server, e.g. https://10.0.0.1:6443.");
        }
    }

    /// <summary>Readable host and port for file names, plus a hash of the exact server so distinct servers never share a name.</summary>
    private static string ClusterSlug(string cluster)
    {
        var readable = Uri.TryCreate(cluster, UriKind.Absolute, out var uri) ? $"{uri.Host}-{uri.Port}" : cluster;
        var slug = UnsafeCharacters().Replace(readable.ToLowerInvariant(), "-").Trim('-', '.');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster)))[..8];
        return $"{slug[..Math.Min(40, slug.Length)]}-{hash}";
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex UnsafeCharacters();
}
