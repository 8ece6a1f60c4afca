using k8s;
using k8s.Authentication;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>Which kubeconfig and context to use; nulls mean kubectl's defaults.</summary>
public sealed record KubeconfigOptions(string? KubeconfigPath = null, string? Context = null, string? Namespace = null);

/// <summary>
/// Finds the cluster as kubectl does: an explicit kubeconfig file, else the files in KUBECONFIG (merged, first
/// setting wins, missing files skipped), else ~/.kube/config, else the in-cluster service account. KubernetesClient
/// reads the files and builds the configuration (token, client certificate, exec plugin, CA); this class chooses the
/// files and explains, naming files and contexts and never a credential, what is missing.
/// </summary>
/// <remarks>
/// What KubernetesClient 21.0.8 lacks is filled in by <see cref="KubeconfigUser"/>: tokenFile, refusing
/// interactiveMode: Always, a spec-conformant KUBERNETES_EXEC_INFO, exec arguments kept whole, anonymous users.
/// What the hand-written reader did and the library does not: it ran an exec plugin on first use (the library runs
/// it while building the configuration, and again on the first request); it put the plugin's exit code and standard
/// error in the message (the library ignores the exit code, and the plugin's standard error goes to this process's
/// own); it refreshed a client certificate from a plugin (the library keeps the first); it re-read a token file on
/// every request (TokenFileAuth: at most once a minute, as client-go); its expiry clock was injectable (the
/// library's is the wall clock: refresh 30 s before expiry).
/// </remarks>
public sealed class KubernetesConfigurationLoader(
    Func<string, string?> environment,
    string homeDirectory,
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

        var kubeconfig = await MergedKubeconfig.LoadAsync(files, cancellationToken);
        return await Task.Run(() => Select(kubeconfig, options), cancellationToken);
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

    // Runs on the thread pool: KubernetesClient runs an exec plugin synchronously while it builds the configuration.
    private static KubernetesConnection Select(MergedKubeconfig kubeconfig, KubeconfigOptions options)
    {
        var document = kubeconfig.Document;
        var files = string.Join(", ", kubeconfig.Files);
        var contextName = options.Context ?? document.CurrentContext;
        if (contextName is null)
        {
            throw new KubernetesConfigurationException(
                $"No context selected: current-context is not set in {files}. Pass --context with one of: {Names(document.Contexts.Select(c => c.Name))}.");
        }

        var context = document.Contexts.FirstOrDefault(c => c.Name == contextName)
            ?? throw new KubernetesConfigurationException(
                $"The context '{contextName}' is not in {files}. Available contexts: {Names(document.Contexts.Select(c => c.Name))}.");
        var contextFile = kubeconfig.FileOf("context", contextName);
        var clusterName = context.ContextDetails?.Cluster is { Length: > 0 } c
            ? c
            : throw new KubernetesConfigurationException($"The context '{contextName}' (in {contextFile}) names no cluster.");
        var cluster = document.Clusters.FirstOrDefault(c => c.Name == clusterName)
            ?? throw new KubernetesConfigurationException(
                $"The context '{contextName}' refers to the cluster '{clusterName}', which is not in {files}. Available clusters: {Names(document.Clusters.Select(c => c.Name))}.");
        var server = cluster.ClusterEndpoint?.Server;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("https" or "http"))
        {
            throw new KubernetesConfigurationException(
                $"The cluster '{clusterName}' (in {kubeconfig.FileOf("cluster", clusterName)}) has server '{server}', which is not an http(s) URL.");
        }

        var user = context.ContextDetails.User is { Length: > 0 } userName
            ? document.Users.FirstOrDefault(u => u.Name == userName)
                ?? throw new KubernetesConfigurationException(
                    $"The context '{contextName}' refers to the user '{userName}', which is not in {files}. Available users: {Names(document.Users.Select(u => u.Name))}.")
            : null;
        var where = user is null ? "" : $"the user '{user.Name}' in {kubeconfig.FileOf("user", user.Name)}";
        var (description, tokenFile) = user is null ? ("no user", null) : KubeconfigUser.Prepare(kubeconfig, user, context, cluster.ClusterEndpoint!, where);

        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(document, contextName);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or FormatException or System.Security.Cryptography.CryptographicException or IOException)
        {
            // KubernetesClient's messages name no secret; an exec plugin's own standard error went to this process's.
            throw new KubernetesConfigurationException(
                $"The {(user?.UserCredentials?.ExternalExecution is { } exec ? $"exec plugin '{exec.Command}' of {where}" : $"context '{contextName}' in {contextFile}")} " +
                $"gave no usable configuration: {Api.ApiFailures.FirstLine(e)}", e);
        }

        if (tokenFile is not null)
        {
            // TokenFileAuth re-reads the file (at most once a minute, as client-go does), so a rotated token is picked up.
            configuration.TokenProvider = new TokenFileAuth(tokenFile);
        }

        CheckClientCertificate(configuration, where);
        configuration.Namespace = options.Namespace ?? (string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace);
        return new KubernetesConnection(configuration, configuration.Namespace, $"context '{contextName}' in {contextFile}", description);
    }

    /// <summary>
    /// KubernetesClient reads the client certificate only when a client is created: one is created (and dropped) so
    /// that a bad certificate is reported while loading, with the user's name.
    /// </summary>
    private static void CheckClientCertificate(KubernetesClientConfiguration configuration, string where)
    {
        try
        {
            using var client = new k8s.Kubernetes(configuration);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or IOException or UnauthorizedAccessException
                                   or ArgumentException or k8s.Exceptions.KubeConfigException)
        {
            // The message names the source only: PEM parsers may echo input, and a key is a secret.
            throw new KubernetesConfigurationException($"The client certificate or key of {where} is not a valid PEM certificate/key pair.", e);
        }
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
    public static async Task<Api.KubernetesApiClient> ConnectAsync(KubeconfigOptions options, CancellationToken cancellationToken)
    {
        var loader = new KubernetesConfigurationLoader(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        return new Api.KubernetesApiClient(await loader.LoadAsync(options, cancellationToken));
    }
}
