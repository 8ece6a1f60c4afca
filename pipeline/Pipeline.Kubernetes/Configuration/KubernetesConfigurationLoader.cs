using System.Text;
using Pipeline.Processes;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>Which kubeconfig and context to use; nulls mean kubectl's defaults.</summary>
public sealed record KubeconfigOptions(string? KubeconfigPath = null, string? Context = null, string? Namespace = null);

/// <summary>
/// Finds the cluster as kubectl does: an explicit kubeconfig file, else the files in KUBECONFIG (merged, first
/// setting wins, missing files skipped), else ~/.kube/config, else the in-cluster service account.
/// </summary>
public sealed class KubernetesConfigurationLoader(
    Func<string, string?> environment,
    string homeDirectory,
    IProcessRunner processes,
    TimeProvider time,
    string serviceAccountDirectory = InClusterConfiguration.DefaultServiceAccountDirectory)
{
    public async Task<KubernetesConnection> LoadAsync(KubeconfigOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = KubeconfigFiles(options);
        if (files.Count == 0)
        {
            var inCluster = new InClusterConfiguration(environment, serviceAccountDirectory);
            if (inCluster.IsAvailable)
            {
                return await inCluster.LoadAsync(options.Namespace, cancellationToken);
            }

            throw new KubernetesConfigurationException(
                "No Kubernetes configuration found: KUBECONFIG is unset or names no existing file, " +
                $"{Path.Combine(homeDirectory, ".kube", "config")} does not exist, and this is not a pod (KUBERNETES_SERVICE_HOST is unset). " +
                "Pass --kubeconfig, set KUBECONFIG, or run inside the cluster.");
        }

        var document = await KubeconfigDocument.LoadAsync(files, cancellationToken);
        return Select(document, options);
    }

    private List<string> KubeconfigFiles(KubeconfigOptions options)
    {
        if (options.KubeconfigPath is { Length: > 0 } explicitPath)
        {
            var full = Path.GetFullPath(explicitPath);
            if (!File.Exists(full)) throw new KubernetesConfigurationException($"The kubeconfig file '{full}' does not exist.");
            return [full];
        }

        if (environment("KUBECONFIG") is { Length: > 0 } list)
        {
            return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(File.Exists).ToList();
        }

        var home = Path.Combine(homeDirectory, ".kube", "config");
        return File.Exists(home) ? [home] : [];
    }

    private KubernetesConnection Select(KubeconfigDocument document, KubeconfigOptions options)
    {
        var files = string.Join(", ", document.Files);
        var contextName = options.Context ?? document.CurrentContext;
        if (contextName is null)
        {
            throw new KubernetesConfigurationException(
                $"No context selected: current-context is not set in {files}. Pass --context with one of: {Names(document.Contexts.Keys)}.");
        }

        if (!document.Contexts.TryGetValue(contextName, out var context))
        {
            throw new KubernetesConfigurationException(
                $"The context '{contextName}' is not in {files}. Available contexts: {Names(document.Contexts.Keys)}.");
        }

        var clusterName = context.String("cluster")
            ?? throw new KubernetesConfigurationException($"The context '{contextName}' (in {context.File}) names no cluster.");
        if (!document.Clusters.TryGetValue(clusterName, out var cluster))
        {
            throw new KubernetesConfigurationException(
                $"The context '{contextName}' refers to the cluster '{clusterName}', which is not in {files}. Available clusters: {Names(document.Clusters.Keys)}.");
        }

        var source = $"context '{contextName}' in {context.File}";
        var server = cluster.String("server")
            ?? throw new KubernetesConfigurationException($"The cluster '{clusterName}' (in {cluster.File}) has no server address.");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("https" or "http"))
        {
            throw new KubernetesConfigurationException($"The cluster '{clusterName}' (in {cluster.File}) has server '{server}', which is not an http(s) URL.");
        }

        var credentials = ClientCredentialsFactory.Create(context.String("user") is { } userName
            ? document.Users.TryGetValue(userName, out var user)
                ? user
                : throw new KubernetesConfigurationException(
                    $"The context '{contextName}' refers to the user '{userName}', which is not in {files}. Available users: {Names(document.Users.Keys)}.")
            : null, cluster, serverUri, processes, environment, time);

        return new KubernetesConnection(serverUri, options.Namespace ?? context.String("namespace") ?? "default", credentials, source)
        {
            CertificateAuthorityPem = CertificateAuthority(cluster),
            InsecureSkipTlsVerify = cluster.Bool("insecure-skip-tls-verify"),
            TlsServerName = cluster.String("tls-server-name"),
        };
    }

    private static string? CertificateAuthority(KubeconfigEntry cluster)
    {
        if (cluster.String("certificate-authority-data") is { } data)
        {
            return ClientCredentialsFactory.DecodeBase64(data, $"certificate-authority-data of the cluster '{cluster.Name}' in {cluster.File}");
        }

        if (cluster.Path("certificate-authority") is { } path)
        {
            try
            {
                return File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubernetesConfigurationException(
                    $"Cannot read certificate-authority '{path}' of the cluster '{cluster.Name}' (in {cluster.File}): {e.Message}", e);
            }
        }

        return null;
    }

    private static string Names(IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? "(none)" : string.Join(", ", sorted);
    }
}

/// <summary>Connecting as the current process would with kubectl: its environment and home directory.</summary>
public static class KubernetesConnector
{
    public static async Task<Api.KubernetesRestClient> ConnectAsync(KubeconfigOptions options, IProcessRunner processes, TimeProvider time, CancellationToken cancellationToken)
    {
        var loader = new KubernetesConfigurationLoader(
            Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), processes, time);
        var connection = await loader.LoadAsync(options, cancellationToken);
        return await Api.KubernetesRestClient.CreateAsync(connection, cancellationToken);
    }
}
